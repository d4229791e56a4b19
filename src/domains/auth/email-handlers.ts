// Email verification and resend (inferred operations; the rules are in email-verification.ts).
import { caller } from '../../handler.ts';
import { toEmailStateView } from '../agents/views.ts';
import { authVia } from '../audit/store.ts';
import { defineHandlers } from '../define.ts';
import { assertVerifiable, sendVerificationCode, verifyCode } from './email-verification.ts';

export const emailHandlers = defineHandlers({
  verifyEmail(ctx) {
    const principal = caller(ctx);
    const { state } = ctx;
    const { agents, audit } = state.stores;
    verifyCode(state, agents.get(principal.agentId)!, ctx.body.code);
    audit.record(principal.agentId, 'email.verified', { key_id: principal.keyId ?? null, details: { auth: authVia(principal) } });
    return { status: 200, body: toEmailStateView(state.clock, agents.get(principal.agentId)!) };
  },

  resendEmailVerification(ctx) {
    const principal = caller(ctx);
    const { state } = ctx;
    const agent = state.stores.agents.get(principal.agentId)!;
    assertVerifiable(agent);
    const expiresAt = sendVerificationCode(state, agent);
    state.stores.audit.record(agent.agent_id, 'email.resent', { key_id: principal.keyId ?? null, details: { auth: authVia(principal) } });
    return {
      status: 200,
      body: { agent_id: agent.agent_id, email: agent.email!, email_verification_sent: true, email_verification_expires_at: state.clock.iso(expiresAt) },
    };
  },
});
