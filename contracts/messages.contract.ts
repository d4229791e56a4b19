// sendMessage: the Quickstart's send, the DM shortcut's find-or-create, membership and scope.
import { describe, expect } from 'vitest';
import { bearer, contractActor, type Actor } from './lib/actors.ts';
import { call, useContractTarget } from './lib/call.ts';
import { expectError, expectStatus } from './lib/checks.ts';
import { contract, inferredPartsOfThisFile } from './lib/contract.ts';

useContractTarget();

async function group(owner: Actor, members: string[] = []) {
  const ex = expectStatus(await call('createConversation', { auth: bearer(owner.token), body: { type: 'group', name: 'contract', members } }), 201, 200);
  return (ex.body as { conversation_id: string }).conversation_id;
}

describe('sendMessage', () => {
  contract('quickstart', 'sends a message into a conversation the sender belongs to (Quickstart step 5)', async () => {
    const a = await contractActor();
    const conversationId = await group(a);
    const ex = expectStatus(await call('sendMessage', { auth: bearer(a.token), body: { conversation_id: conversationId, content: 'Hello from my first integration' } }), 201, 200);
    const msg = ex.body as { conversation_id: string; sender_id: string; content: string };
    expect(msg).toMatchObject({ conversation_id: conversationId, sender_id: a.agentId, content: 'Hello from my first integration' });
  });

  contract('quickstart', 'the DM shortcut finds the same 1:1 conversation every time, from either side', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const first = expectStatus(await call('sendMessage', { auth: bearer(a.token), body: { recipient_agent_id: b.agentId, content: 'one' } }), 201, 200);
    const second = expectStatus(await call('sendMessage', { auth: bearer(a.token), body: { recipient_agent_id: b.agentId, content: 'two' } }), 201, 200);
    const reply = expectStatus(await call('sendMessage', { auth: bearer(b.token), body: { recipient_agent_id: a.agentId, content: 'three' } }), 201, 200);
    const id = (first.body as { conversation_id: string }).conversation_id;
    expect((second.body as { conversation_id: string }).conversation_id, 'second shortcut message').toBe(id);
    expect((reply.body as { conversation_id: string }).conversation_id, 'reply through the shortcut').toBe(id);
  });

  contract('documented', 'exactly one of conversation_id / recipient_agent_id: both or neither is 400', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const conversationId = await group(a);
    expectError(await call('sendMessage', { auth: bearer(a.token), body: { content: 'x' } }), 400, 'INVALID_REQUEST');
    expectError(await call('sendMessage', { auth: bearer(a.token), body: { conversation_id: conversationId, recipient_agent_id: b.agentId, content: 'x' } }), 400, 'INVALID_REQUEST');
  });

  contract('documented', 'content: 10000 characters are accepted, 10001 are 400; without content 400', async () => {
    const a = await contractActor();
    const conversationId = await group(a);
    const post = (body: object) => call('sendMessage', { auth: bearer(a.token), body: { conversation_id: conversationId, ...body } });
    const longest = expectStatus(await post({ content: 'x'.repeat(10_000) }), 201, 200).body as { content: string };
    expect(longest.content).toHaveLength(10_000);
    expectStatus(await post({ content: 'x'.repeat(10_001) }), 400);
    expectStatus(await post({}), 400);
  });

  contract('documented', 'type defaults to text, command is accepted, a value outside text/command/system is 400; a new message has status sent', async () => {
    const a = await contractActor();
    const conversationId = await group(a);
    const post = (body: object) => call('sendMessage', { auth: bearer(a.token), body: { conversation_id: conversationId, ...body } });
    expect(expectStatus(await post({ content: 'plain' }), 201, 200).body).toMatchObject({ type: 'text', status: 'sent', sender_id: a.agentId });
    expect(expectStatus(await post({ content: '/help', type: 'command' }), 201, 200).body).toMatchObject({ type: 'command' });
    expectStatus(await post({ content: 'x', type: 'shout' }), 400);
  });

  contract('documented', 'mention: 50 entries are accepted, 51 are 400; in_reply_to names the message answered', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const conversationId = await group(a, [b.agentId]);
    // Members of the conversation only (whether others may be mentioned is not documented), repeated to 50.
    const mentions = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 ? b.agentId : a.agentId));
    const post = (body: object) => call('sendMessage', { auth: bearer(a.token), body: { conversation_id: conversationId, ...body } });
    const first = expectStatus(await post({ content: 'Hi all', mention: mentions(50) }), 201, 200).body as { message_id: string };
    expectStatus(await post({ content: 'Hi all', mention: mentions(51) }), 400);
    expectStatus(await call('sendMessage', { auth: bearer(b.token), body: { conversation_id: conversationId, content: 'Hi', in_reply_to: first.message_id } }), 201, 200);
  });

  contract('documented', 'membership: a non-member cannot post into a group conversation', async () => {
    const [a, outsider] = await Promise.all([contractActor(), contractActor()]);
    const conversationId = await group(a);
    expectStatus(await call('sendMessage', { auth: bearer(outsider.token), body: { conversation_id: conversationId, content: 'let me in' } }), 403, 404);
  });

  contract('documented', 'auth required: no token or a malformed one is 401', async () => {
    expectStatus(await call('sendMessage', { body: { recipient_agent_id: 'agt_00000000000000000000000000000000', content: 'x' } }), 401);
    expectStatus(await call('sendMessage', { auth: 'Bearer not-a-jwt', body: { recipient_agent_id: 'agt_00000000000000000000000000000000', content: 'x' } }), 401);
  });

  contract('inferred', 'scope enforced: a token without messages:write is 403 FORBIDDEN', async () => {
    const [reader, b] = await Promise.all([contractActor({ scopes: ['messages:read'] }), contractActor()]);
    expectError(await call('sendMessage', { auth: bearer(reader.token), body: { recipient_agent_id: b.agentId, content: 'x' } }), 403, 'FORBIDDEN');
  });

  contract('inferred', 'an unknown recipient is 404 and a conversation the sender cannot see is 404', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    expectError(await call('sendMessage', { auth: bearer(a.token), body: { recipient_agent_id: 'agt_00000000000000000000000000000000', content: 'x' } }), 404, 'NOT_FOUND');
    const hidden = await group(b);
    expectError(await call('sendMessage', { auth: bearer(a.token), body: { conversation_id: hidden, content: 'x' } }), 404, 'NOT_FOUND');
  });
});

inferredPartsOfThisFile();
