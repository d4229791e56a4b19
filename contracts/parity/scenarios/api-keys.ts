// API keys: creation with and without scopes and expiry, the key list, revocation and its effect
// (docs, agents: create an API key; list keys; the revoke operation is ours, openapi.yaml revokeApiKey).
import { basic, bearer } from '../session.ts';
import { defineScenario } from './scenario.ts';

const CREATE = 'docs, agents: POST /api/agents/{agent_id}';
const REVOKE = 'paths./api/agents/{agent_id}/keys/{key_id}.delete.description';

export default defineScenario({
  name: 'api-keys',
  title: 'API keys: create, list, revoke',
  covers: 'a key with scopes and expires_in_days, a key with the default scopes, the list (no secret in it), revoking one, the list after, the revoked key refused at the token exchange',
  async run(s) {
    const reg = await s.call('register', 'registerAgent', { body: { agent_name: s.name('keys') } });
    reg.expectSuccess('quickstart', 'Quickstart step 1');
    const agentId = reg.need('$.agent_id');
    const recovery = basic(agentId, reg.need('$.recovery_key'));

    const ci = await s.call('create a key with scopes and an expiry', 'createApiKey', { path: { agent_id: agentId }, auth: recovery, body: { name: 'ci', scopes: ['messages:read'], expires_in_days: 30 } });
    ci.expectSuccess('documented', CREATE)
      .expectSame('$.scopes', ['messages:read'], 'the key has the scopes asked for', 'documented', CREATE)
      .claim('$.expires_at', typeof ci.at('$.expires_at') === 'string', 'expires_at is set by expires_in_days', 'documented', `${CREATE}: example`);
    const ciKey = { id: ci.need('$.key_id'), secret: ci.need('$.api_key') };

    const all = await s.call('create a key with the default scopes', 'createApiKey', { path: { agent_id: agentId }, auth: recovery, body: { name: 'default' } });
    all.expectSuccess('documented', CREATE)
      .expectSame('$.scopes', ['messages:read', 'messages:write', 'conversations:read', 'presence:update'], 'omitted scopes give the default set', 'documented', 'docs, agents: scopes omitted => the default set');
    const token = (await s.call('exchange the default key', 'exchangeToken', { auth: basic(agentId, all.need('$.api_key')), body: { grant_type: 'client_credentials' } })).need('$.access_token');

    const list = await s.call('list the keys', 'listApiKeys', { auth: bearer(token), path: { agent_id: agentId } });
    list.expectStatus([200], 'documented', 'docs, agents: GET /api/agents/{agent_id}')
      .claim('$', !list.res.text.includes(ciKey.secret), 'no api_key in the list', 'documented', 'docs, agents: "api_key appears only in this response"');

    const revoke = await s.call('revoke the ci key', 'revokeApiKey', { auth: recovery, path: { agent_id: agentId, key_id: ciKey.id } });
    revoke.expectStatus([204], 'inferred', REVOKE);

    const after = await s.call('list the keys after the revocation', 'listApiKeys', { auth: bearer(token), path: { agent_id: agentId } });
    after.expectStatus([200], 'documented', 'docs, agents: GET /api/agents/{agent_id}');

    const refused = await s.call('exchange the revoked key', 'exchangeToken', { auth: basic(agentId, ciKey.secret), body: { grant_type: 'client_credentials' } });
    refused.expectError(401, 'UNAUTHORIZED', 'inferred', REVOKE);
  },
});
