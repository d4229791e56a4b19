import { caller, defineHandlers } from '../../http/types.ts';
import { toEmailStateView } from '../agents/views.ts';
import { authVia } from './handlers.ts';
import { assertVerifiable, sendVerificationCode, verifyCode } from './email-verification.ts';

export const emailHandlers = defineHandlers({
  verifyEmail(ctx) {
    const principal = caller(ctx);
    const { state } = ctx;
    const agent = state.stores.agents.get(principal.agentId)!;
    verifyCode(state, agent, ctx.body.code);
    state.stores.audit.record(agent.agent_id, 'email.verified', { key_id: principal.keyId ?? null, details: { auth: authVia(principal) } });
    return { status: 200, body: toEmailStateView(state.clock, agent) };
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
