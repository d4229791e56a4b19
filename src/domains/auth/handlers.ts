import { issueToken } from '../../auth/tokens.ts';
import { caller, defineHandlers } from '../../http/types.ts';
import { toRegisteredView } from '../agents/views.ts';

/** Verification codes are valid for one hour (docs, auth example: expires_at = created_at + 1 h). */
export const VERIFICATION_TTL_MS = 3_600_000;

export const authHandlers = defineHandlers({
  registerAgent(ctx) {
    const { state } = ctx;
    const { record, recoveryKey } = state.stores.agents.register(ctx.body);
    let expiresAt: Date | null = null;
    if (record.email) {
      expiresAt = new Date(record.created_at.getTime() + VERIFICATION_TTL_MS);
      state.outbox.push({
        to: record.email,
        agent_id: record.agent_id,
        subject: 'Verify your Fluxra agent email',
        code: state.ids.verificationCode(),
        sent_at: state.clock.iso(record.created_at),
        expires_at: state.clock.iso(expiresAt),
      });
    }
    return { status: 201, body: toRegisteredView(state.clock, record, recoveryKey, expiresAt) };
  },

  async exchangeToken(ctx) {
    const principal = caller(ctx);
    const { token, claims } = await issueToken(ctx.state, principal.agentId, principal.keyId!, principal.scopes);
    return {
      status: 200,
      body: { access_token: token, token_type: 'Bearer', expires_in: claims.exp - claims.iat, scopes: claims.scopes },
      headers: { 'Cache-Control': 'no-store' }, // RFC 6749 5.1: token responses are not cached
    };
  },
});
