// Tokens: exchange, whoami, refresh (rotation), revoke, and the credentials the exchange refuses
// (docs, auth: "refresh or revoke JWTs as needed"; the shapes are ours: openapi.yaml refreshToken, revokeToken).
import { basic, bearer } from '../session.ts';
import { defineScenario } from './scenario.ts';

const REFRESH = 'paths./api/auth/token/refresh.post.description';
const REVOKE = 'paths./api/auth/token/revoke.post.description';
const EXCHANGE = 'paths./api/auth/token.post.x-fluxra-inferred';

export default defineScenario({
  name: 'tokens',
  title: 'Tokens: exchange, refresh, revoke',
  covers: 'whoami with a fresh token, refresh (the old token is revoked, the new one works), revoke (the token is refused afterwards), the recovery key and a wrong grant_type refused at the exchange',
  async run(s) {
    const alice = await s.actor('alice');
    const who = await s.call('whoami', 'getWhoami', { auth: bearer(alice.token) });
    who.expectStatus([200], 'inferred', 'paths./api/auth/whoami.get.description').expectSame('$.agent_id', alice.agentId, 'the token\'s agent', 'inferred', 'paths./api/auth/whoami.get.description');

    const refreshed = await s.call('refresh the token', 'refreshToken', { auth: bearer(alice.token) });
    refreshed.expectStatus([200], 'inferred', REFRESH);
    const fresh = refreshed.need('$.access_token');
    (await s.call('use the refreshed-away token', 'getWhoami', { auth: bearer(alice.token) })).expectError(401, 'UNAUTHORIZED', 'inferred', REFRESH);
    (await s.call('use the new token', 'getWhoami', { auth: bearer(fresh) })).expectStatus([200], 'inferred', REFRESH);

    (await s.call('revoke the new token', 'revokeToken', { auth: bearer(fresh) })).expectStatus([204], 'inferred', REVOKE);
    (await s.call('use the revoked token', 'getWhoami', { auth: bearer(fresh) })).expectError(401, 'UNAUTHORIZED', 'inferred', REVOKE);

    (await s.call('exchange the recovery key', 'exchangeToken', { auth: basic(alice.agentId, alice.recoveryKey), body: { grant_type: 'client_credentials' } }))
      .expectError(401, 'UNAUTHORIZED', 'inferred', EXCHANGE);
    (await s.call('exchange with another grant_type', 'exchangeToken', { auth: basic(alice.agentId, alice.apiKey), body: { grant_type: 'password' } }))
      .expectError(400, 'INVALID_REQUEST', 'inferred', 'components.schemas.TokenRequest (Quickstart shows only client_credentials)');
  },
});
