import { inspectToken, issueToken } from '../../auth/tokens.ts';
import type { Principal } from '../../auth/verify.ts';
import { forbidden, invalidRequest, unauthorized } from '../../http/errors.ts';
import { caller, defineHandlers } from '../../http/types.ts';
import type { TenantState } from '../../state/tenant.ts';
import { toRegisteredView } from '../agents/views.ts';
import { sendVerificationCode } from './email-verification.ts';

async function tokenResponse(state: TenantState, agentId: string, keyId: string, scopes: string[]) {
  const { token, claims } = await issueToken(state, agentId, keyId, scopes);
  return {
    status: 200,
    body: { access_token: token, token_type: 'Bearer', expires_in: claims.exp - claims.iat, scopes: claims.scopes },
    headers: { 'Cache-Control': 'no-store' }, // RFC 6749 5.1: token responses are not cached
  };
}

/** How the caller proved itself, for the audit log (never the credential itself). */
export const authVia = (p: Principal) => (p.via === 'recoveryKeyBasic' ? 'recovery_key' : p.via === 'apiKeyBasic' ? 'api_key' : 'token');

export const authHandlers = defineHandlers({
  registerAgent(ctx) {
    const { state } = ctx;
    const { record, recoveryKey } = state.stores.agents.register(ctx.body);
    const expiresAt = record.email ? sendVerificationCode(state, record, record.created_at) : null;
    state.stores.audit.record(record.agent_id, 'agent.registered', { details: { email_on_file: record.email !== null } });
    return { status: 201, body: toRegisteredView(state.clock, record, recoveryKey, expiresAt) };
  },

  async exchangeToken(ctx) {
    const principal = caller(ctx);
    const response = await tokenResponse(ctx.state, principal.agentId, principal.keyId!, principal.scopes);
    ctx.state.stores.audit.record(principal.agentId, 'token.issued', { key_id: principal.keyId!, details: { scopes: principal.scopes } });
    return response;
  },

  async refreshToken(ctx) {
    const principal = caller(ctx);
    const { state } = ctx;
    const key = state.stores.agents.keys.get(principal.keyId!)!;
    // docs, agents: an expired key "can no longer get tokens"; a refresh is getting a token.
    if (key.expires_at && key.expires_at.getTime() <= state.clock.now().getTime()) throw unauthorized('the API key behind this token has expired');
    const response = await tokenResponse(state, principal.agentId, key.key_id, principal.scopes);
    state.revokedJtis.add(principal.jti!); // rotation: the refreshed token is spent
    state.stores.audit.record(principal.agentId, 'token.refreshed', { key_id: key.key_id, details: { scopes: principal.scopes } });
    return response;
  },

  async revokeToken(ctx) {
    const principal = caller(ctx);
    const { state } = ctx;
    let target = { jti: principal.jti!, key_id: principal.keyId!, expired: false };
    const given = ctx.body?.token;
    if (given !== undefined) {
      const claims = await inspectToken(state, given);
      if (!claims) throw invalidRequest('token is not an access token issued by this service');
      if (claims.sub !== principal.agentId) throw forbidden("you may revoke only your own agent's tokens");
      target = claims;
    }
    // RFC 7009 2.2: an expired or already revoked token needs no revoking; succeed without a new event.
    if (!target.expired && !state.revokedJtis.has(target.jti)) {
      state.revokedJtis.add(target.jti);
      state.stores.audit.record(principal.agentId, 'token.revoked', { key_id: target.key_id, details: { presented_token: target.jti === principal.jti } });
    }
    return { status: 204 };
  },

  getWhoami(ctx) {
    const principal = caller(ctx);
    const { state } = ctx;
    const agent = state.stores.agents.get(principal.agentId)!;
    return {
      status: 200,
      body: {
        agent_id: agent.agent_id,
        agent_name: agent.agent_name,
        key_id: principal.keyId!,
        scopes: [...principal.scopes],
        token_expires_at: state.clock.iso(new Date(principal.exp! * 1000)),
        email: agent.email,
        email_verified: agent.email_verified,
        created_at: state.clock.iso(agent.created_at),
      },
    };
  },
});
