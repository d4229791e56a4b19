// Every documented error we can provoke from outside (docs, conventions: the envelope and the common codes;
// docs, agents and blocks: their error lists; docs, auth and chat: the field rules). Not provoked:
// 429 RATE_LIMIT_EXCEEDED (route limits are not published, and provoking one would hammer the target) and
// 500 INTERNAL_ERROR (a server failure).
import { basic, bearer } from '../session.ts';
import { defineScenario } from './scenario.ts';

const CONV = 'docs, conventions: common error codes';
const AGENTS = 'docs, agents: POST /api/agents/{agent_id} errors';
const BLOCKS = 'docs, blocks: POST /api/blocks errors';
const CHAT = 'docs, chat: POST /api/messages rules';
const SEND_ERRORS = 'paths./api/messages.post.x-fluxra-inferred';

export default defineScenario({
  name: 'documented-errors',
  title: 'Every documented error',
  covers: 'INVALID_REQUEST (bad agent_name, malformed JSON, content over 10000, over 50 mentions, both targets, no block target), INVALID_AGENT_ID, INVALID_KEY_NAME, UNAUTHORIZED (no, wrong and malformed credentials), FORBIDDEN (another agent\'s keys), NOT_FOUND (not a member), INVALID_TARGET, CONFLICT; not 429 or 500 (cannot be provoked safely)',
  async run(s) {
    const alice = await s.actor('alice');
    const bob = await s.actor('bob');
    const a = bearer(alice.token);

    (await s.call('register with a bad agent_name', 'registerAgent', { body: { agent_name: 'a!' } })).expectError(400, 'INVALID_REQUEST', 'documented', 'docs, auth: agent_name must match ^[a-zA-Z0-9-]{3,50}$');
    (await s.call('register with malformed JSON', 'registerAgent', { rawBody: '{"agent_name": ' })).expectError(400, 'INVALID_REQUEST', 'documented', `${CONV}: INVALID_REQUEST, body malformed`);

    const keyBody = { name: 'cli' };
    (await s.call('create a key for a malformed agent id', 'createApiKey', { path: { agent_id: 'agt_not-an-id' }, auth: basic(alice.agentId, alice.recoveryKey), body: keyBody })).expectError(400, 'INVALID_AGENT_ID', 'documented', AGENTS);
    (await s.call('create a key with a bad name', 'createApiKey', { path: { agent_id: alice.agentId }, auth: basic(alice.agentId, alice.recoveryKey), body: { name: '!no good!' } })).expectError(400, 'INVALID_KEY_NAME', 'documented', AGENTS);
    (await s.call('create a key without credentials', 'createApiKey', { path: { agent_id: alice.agentId }, body: keyBody })).expectError(401, 'UNAUTHORIZED', 'documented', AGENTS);
    (await s.call('create a key with a wrong recovery key', 'createApiKey', { path: { agent_id: alice.agentId }, auth: basic(alice.agentId, 'rk_wrongwrongwrong'), body: keyBody })).expectError(401, 'UNAUTHORIZED', 'documented', AGENTS);
    (await s.call('create a key for another agent', 'createApiKey', { path: { agent_id: bob.agentId }, auth: basic(alice.agentId, alice.recoveryKey), body: keyBody }))
      .expectError(403, 'FORBIDDEN', 'documented', `${AGENTS}: the path agent_id "must equal the agent_id inside the Basic header"`);
    (await s.call('exchange a wrong API key', 'exchangeToken', { auth: basic(alice.agentId, 'sk_wrongwrongwrong'), body: { grant_type: 'client_credentials' } })).expectError(401, 'UNAUTHORIZED', 'documented', `${CONV}: UNAUTHORIZED`);

    (await s.call('send without a token', 'sendMessage', { body: { recipient_agent_id: bob.agentId, content: 'hi' } })).expectError(401, 'UNAUTHORIZED', 'documented', 'docs, chat: "Every Chat endpoint requires a Bearer JWT"');
    (await s.call('send with a malformed token', 'sendMessage', { auth: 'Bearer not-a-jwt', body: { recipient_agent_id: bob.agentId, content: 'hi' } })).expectError(401, 'UNAUTHORIZED', 'documented', `${CONV}: UNAUTHORIZED`);
    (await s.call('send 10001 characters', 'sendMessage', { auth: a, body: { recipient_agent_id: bob.agentId, content: 'x'.repeat(10_001) } })).expectError(400, 'INVALID_REQUEST', 'documented', `${CHAT}: content at most 10000 characters`);
    (await s.call('send 51 mentions', 'sendMessage', { auth: a, body: { recipient_agent_id: bob.agentId, content: 'hi', mention: Array.from({ length: 51 }, () => bob.agentId) } }))
      .expectError(400, 'INVALID_REQUEST', 'documented', `${CHAT}: mention at most 50 entries`);

    const group = (await s.call('bob: create a group without alice', 'createConversation', { auth: bearer(bob.token), body: { type: 'group', name: 'Private', members: [] } })).need('$.conversation_id');
    (await s.call('send with both conversation_id and recipient_agent_id', 'sendMessage', { auth: a, body: { conversation_id: group, recipient_agent_id: bob.agentId, content: 'hi' } }))
      .expectError(400, 'INVALID_REQUEST', 'documented', `${CHAT}: exactly one of conversation_id / recipient_agent_id`);
    const outsider = await s.call('send into a conversation one is not a member of', 'sendMessage', { auth: a, body: { conversation_id: group, content: 'hi' } });
    outsider.claim('status', outsider.status >= 400 && outsider.status < 500, 'refused (4xx)', 'documented', `${CHAT}: the sender must be a member`).expectError(404, 'NOT_FOUND', 'inferred', SEND_ERRORS);

    (await s.call('block without a target', 'createBlock', { auth: a, body: { type: 'group' } })).expectError(400, 'INVALID_REQUEST', 'documented', BLOCKS);
    (await s.call('block an agent that does not exist', 'createBlock', { auth: a, body: { target_id: 'agt_00000000000000000000000000000000' } })).expectError(400, 'INVALID_TARGET', 'documented', BLOCKS);
    (await s.call('block bob', 'createBlock', { auth: a, body: { target_id: bob.agentId } })).expectSuccess('documented', BLOCKS);
    (await s.call('block bob again', 'createBlock', { auth: a, body: { target_id: bob.agentId } })).expectError(409, 'CONFLICT', 'documented', `${BLOCKS}: 409 CONFLICT when that target is already blocked`);
    (await s.call('list blocks with a malformed token', 'listBlocks', { auth: 'Bearer not-a-jwt' })).expectError(401, 'UNAUTHORIZED', 'documented', 'docs, blocks: "All Blocks endpoints require a Bearer JWT"');
  },
});
