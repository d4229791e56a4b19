// Email verification codes. The code lives on the agent record as a hash (the outbox, standing in for
// the mail system, holds the plain code); only the newest code counts, for one hour (docs, auth example:
// email_verification_expires_at = created_at + 1 h). Five wrong attempts use a code up, so a 6-digit code
// cannot be guessed by trying them all.
import { conflict, invalidRequest, notFound } from '../../http/errors.ts';
import { hashSecret, secretMatches } from '../../state/secrets.ts';
import type { TenantState } from '../../state/tenant.ts';
import type { AgentRecord } from '../agents/store.ts';

export const VERIFICATION_TTL_MS = 3_600_000;
export const MAX_FAILED_ATTEMPTS = 5;

/** Sends a fresh code to the agent's email, replacing any pending one; returns its expiry. */
export function sendVerificationCode(state: TenantState, agent: AgentRecord, at: Date = state.clock.now()): Date {
  if (!agent.email) throw notFound('no email on file for this agent');
  const code = state.ids.verificationCode();
  const expiresAt = new Date(at.getTime() + VERIFICATION_TTL_MS);
  agent.verification = { codeHash: hashSecret(code), expires_at: expiresAt, failed_attempts: 0 };
  state.outbox.push({
    to: agent.email,
    agent_id: agent.agent_id,
    subject: 'Verify your Fluxra agent email',
    code,
    sent_at: state.clock.iso(at),
    expires_at: state.clock.iso(expiresAt),
  });
  return expiresAt;
}

export function assertVerifiable(agent: AgentRecord) {
  if (!agent.email) throw notFound('no email on file for this agent');
  if (agent.email_verified) throw conflict('email already verified');
}

/** Verifies the email or throws: 400 for a wrong, expired or used-up code. */
export function verifyCode(state: TenantState, agent: AgentRecord, code: string) {
  assertVerifiable(agent);
  const pending = agent.verification;
  if (!pending) throw invalidRequest('no verification code is pending: request a new one');
  if (pending.expires_at.getTime() <= state.clock.now().getTime()) throw invalidRequest('verification code expired: request a new one');
  if (!secretMatches(code, pending.codeHash)) {
    pending.failed_attempts += 1;
    if (pending.failed_attempts >= MAX_FAILED_ATTEMPTS) {
      agent.verification = null;
      throw invalidRequest('verification code is wrong; too many wrong attempts, request a new one');
    }
    throw invalidRequest('verification code is wrong');
  }
  agent.verification = null;
  agent.email_verified = true;
  agent.email_verified_at = state.clock.now();
}
