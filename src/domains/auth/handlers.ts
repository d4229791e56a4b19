// Registration and tokens: register and the token exchange (Quickstart), refresh, revoke and whoami
// (inferred; openapi.yaml describes each choice).
import { forbidden, invalidRequest, unauthorized } from '../../errors.ts';
import { caller } from '../../handler.ts';
import { registerAgent } from '../agents/account.ts';
import { toRegisteredView, toWhoamiView } from '../agents/views.ts';
import { defineHandlers, type ApiResult } from '../define.ts';
import type { World } from '../world.ts';

async function tokenResponse(world: World, agentId: string, keyId: string, scopes: string[]): Promise<ApiResult<'exchangeToken'> & ApiResult<'refreshToken'>> {
  const { token, claims } = await world.tokens.issue(agentId, keyId, scopes);
  return {
    status: 200,
    body: { access_token: token, token_type: 'Bearer', expires_in: claims.exp - claims.iat, scopes: claims.scopes },
    headers: { 'Cache-Control': 'no-store' }, // RFC 6749 5.1: token responses are not cached
  };
}

export const authHandlers = defineHandlers({
  registerAgent(ctx) {
    const { agent, recoveryKey, verificationExpiresAt } = registerAgent(ctx.state, ctx.body);
    return { status: 201, body: toRegisteredView(ctx.state.clock, agent, recoveryKey, verificationExpiresAt) };
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
    const key = state.stores.agents.key(principal.keyId!)!;
    // docs, agents: an expired key "can no longer get tokens"; a refresh is getting a token.
    if (key.expires_at && key.expires_at.getTime() <= state.clock.now().getTime()) throw unauthorized('the API key behind this token has expired');
    const response = await tokenResponse(state, principal.agentId, key.key_id, principal.scopes);
    state.stores.revocations.revoke(principal.jti!); // rotation: the refreshed token is spent
    state.stores.audit.record(principal.agentId, 'token.refreshed', { key_id: key.key_id, details: { scopes: principal.scopes } });
    return response;
  },

  async revokeToken(ctx) {
    const principal = caller(ctx);
    const { state } = ctx;
    let target = { jti: principal.jti!, key_id: principal.keyId!, expired: false };
    const given = ctx.body?.token;
    if (given !== undefined) {
      const claims = await state.tokens.inspect(given);
      if (!claims) throw invalidRequest('token is not an access token issued by this service');
      if (claims.sub !== principal.agentId) throw forbidden("you may revoke only your own agent's tokens");
      target = claims;
    }
    // RFC 7009 2.2: an expired or already revoked token needs no revoking; succeed without a new event.
    const { revocations, audit } = state.stores;
    if (!target.expired && !revocations.isRevoked(target.jti)) {
      revocations.revoke(target.jti);
      audit.record(principal.agentId, 'token.revoked', { key_id: target.key_id, details: { presented_token: target.jti === principal.jti } });
    }
    return { status: 204 };
  },

  getWhoami(ctx) {
    const principal = caller(ctx);
    return { status: 200, body: toWhoamiView(ctx.state.clock, ctx.state.stores.agents.get(principal.agentId)!, principal) };
  },
});
