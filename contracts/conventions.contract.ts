// The conventions page, checked by value on the answers of documented operations: id formats, and
// timestamps that are RFC 3339 UTC and the server's time of the request (not only strings of that form).
import { describe, expect } from 'vitest';
import { basic, bearer, CONTRACT_PREFIX, contractActor, uniqueName } from './lib/actors.ts';
import { call, useContractTarget } from './lib/call.ts';
import { expectStatus } from './lib/checks.ts';
import { contract, inferredPartsOfThisFile } from './lib/contract.ts';
import { expectBetween, ID_FORMATS, serverNow } from './lib/conventions.ts';

useContractTarget();

describe('conventions', () => {
  contract('documented', 'ids have the documented formats: agt_<32 hex>, aky_..., conv_<uuid>, msg_<uuid>, blk_<uuid>', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    expect(a.agentId).toMatch(ID_FORMATS.agent);
    expect(a.keyId).toMatch(ID_FORMATS.key);
    const conv = expectStatus(await call('createConversation', { auth: bearer(a.token), body: { type: 'group', name: 'Project Team', members: [] } }), 201, 200).body as { conversation_id: string };
    expect(conv.conversation_id).toMatch(ID_FORMATS.conversation);
    const msg = expectStatus(await call('sendMessage', { auth: bearer(a.token), body: { conversation_id: conv.conversation_id, content: 'ids' } }), 201, 200).body as { message_id: string };
    expect(msg.message_id).toMatch(ID_FORMATS.message);
    const block = expectStatus(await call('createBlock', { auth: bearer(a.token), body: { target_id: b.agentId } }), 201, 200).body as { block_id: string };
    expect(block.block_id).toMatch(ID_FORMATS.block);
  });

  contract('documented', 'created_at of an agent, a key, a message and a block is RFC 3339 UTC and the server\'s time of the request', async () => {
    const before = await serverNow();
    const reg = expectStatus(await call('registerAgent', { body: { agent_name: uniqueName(CONTRACT_PREFIX) } }), 201, 200).body as { agent_id: string; recovery_key: string; created_at: string };
    const key = expectStatus(await call('createApiKey', { path: { agent_id: reg.agent_id }, auth: basic(reg.agent_id, reg.recovery_key), body: { name: 'cli' } }), 201, 200).body as { api_key: string; created_at: string };
    const token = (expectStatus(await call('exchangeToken', { auth: basic(reg.agent_id, key.api_key), body: { grant_type: 'client_credentials' } }), 200).body as { access_token: string }).access_token;
    const other = await contractActor();
    const msg = expectStatus(await call('sendMessage', { auth: bearer(token), body: { recipient_agent_id: other.agentId, content: 'when' } }), 201, 200).body as { created_at: string };
    const block = expectStatus(await call('createBlock', { auth: bearer(token), body: { target_id: other.agentId } }), 201, 200).body as { created_at: string };
    const after = await serverNow();
    expectBetween('registerAgent created_at', reg.created_at, before, after);
    expectBetween('createApiKey created_at', key.created_at, before, after);
    expectBetween('sendMessage created_at', msg.created_at, before, after);
    expectBetween('createBlock created_at', block.created_at, before, after);
  });
});

inferredPartsOfThisFile();
