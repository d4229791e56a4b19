// Email verification codes. The code lives on the agent record as a hash (the outbox, standing in for
// the mail system, holds the plain code); only the newest code counts, for one hour (docs, auth example:
// email_verification_expires_at = created_at + 1 h). Five wrong attempts use a code up, so a 6-digit code
// cannot be guessed by trying them all.
import { conflict, invalidRequest, notFound } from '../../errors.ts';
import { hashSecret, secretMatches } from '../../basics/secrets.ts';
import type { Agent } from '../agents/store.ts';
import type { World } from '../world.ts';

const VERIFICATION_TTL_MS = 3_600_000;
const MAX_FAILED_ATTEMPTS = 5;

/** Sends a fresh code to the agent's email, replacing any pending one; returns its expiry. */
export function sendVerificationCode(world: World, agent: Agent, at: Date = world.clock.now()): Date {
  if (!agent.email) throw notFound('no email on file for this agent');
  const code = world.ids.verificationCode();
  const expiresAt = new Date(at.getTime() + VERIFICATION_TTL_MS);
  world.stores.agents.startVerification(agent.agent_id, hashSecret(code), expiresAt);
  world.stores.outbox.send({
    to: agent.email,
    agent_id: agent.agent_id,
    subject: 'Verify your Fluxra agent email',
    code,
    sent_at: world.clock.iso(at),
    expires_at: world.clock.iso(expiresAt),
  });
  return expiresAt;
}

export function assertVerifiable(agent: Agent) {
  if (!agent.email) throw notFound('no email on file for this agent');
  if (agent.email_verified) throw conflict('email already verified');
}

/** Verifies the email or throws: 400 for a wrong, expired or used-up code. */
export function verifyCode(world: World, agent: Agent, code: string) {
  assertVerifiable(agent);
  const { agents } = world.stores;
  const pending = agent.verification;
  if (!pending) throw invalidRequest('no verification code is pending: request a new one');
  if (pending.expires_at.getTime() <= world.clock.now().getTime()) throw invalidRequest('verification code expired: request a new one');
  if (!secretMatches(code, pending.codeHash)) {
    if (agents.failVerification(agent.agent_id) >= MAX_FAILED_ATTEMPTS) {
      agents.dropVerification(agent.agent_id);
      throw invalidRequest('verification code is wrong; too many wrong attempts, request a new one');
    }
    throw invalidRequest('verification code is wrong');
  }
  agents.markEmailVerified(agent.agent_id);
}
