// createConversation: the Quickstart's group conversation and the direct find-or-create.
import { describe, expect } from 'vitest';
import { bearer, contractActor } from './lib/actors.ts';
import { call, useContractTarget } from './lib/call.ts';
import { expectError, expectStatus } from './lib/checks.ts';
import { contract, inferredPartsOfThisFile } from './lib/contract.ts';

useContractTarget();

describe('createConversation', () => {
  // The Quickstart shows only conversation_id in the answer; the independent read is step 5 (a send into it).
  contract('quickstart', 'creates a group conversation with the Quickstart key and body; its conversation_id takes a message (Quickstart steps 4 and 5)', async () => {
    const a = await contractActor({ scopes: ['messages:read', 'messages:write', 'conversations:read'] });
    const ex = expectStatus(await call('createConversation', { auth: bearer(a.token), body: { type: 'group', name: 'Project Team', members: [] } }), 201, 200);
    const conversationId = (ex.body as { conversation_id: string }).conversation_id;
    const sent = expectStatus(await call('sendMessage', { auth: bearer(a.token), body: { conversation_id: conversationId, content: 'Hello from my first integration' } }), 201, 200);
    expect((sent.body as { conversation_id: string }).conversation_id).toBe(conversationId);
  });

  contract('inferred', 'a group conversation answers its type, name and members, the caller among them', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const ex = expectStatus(await call('createConversation', { auth: bearer(a.token), body: { type: 'group', name: 'Project Team', members: [b.agentId] } }), 201, 200);
    const conv = ex.body as { type: string; name: string; members: string[] };
    expect(conv).toMatchObject({ type: 'group', name: 'Project Team' });
    expect([...conv.members].sort()).toEqual([a.agentId, b.agentId].sort());
  });

  contract('documented', 'auth required: no token is 401', async () => {
    expectStatus(await call('createConversation', { body: { type: 'group', name: 'x', members: [] } }), 401);
  });

  contract('inferred', 'scope enforced: a token without messages:write is 403 FORBIDDEN', async () => {
    const a = await contractActor({ scopes: ['messages:read'] });
    expectError(await call('createConversation', { auth: bearer(a.token), body: { type: 'group', name: 'x', members: [] } }), 403, 'FORBIDDEN');
  });

  contract('inferred', 'a direct conversation is found, not created twice, and is the DM shortcut\'s conversation', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const first = expectStatus(await call('createConversation', { auth: bearer(a.token), body: { type: 'direct', members: [b.agentId] } }), 201, 200);
    const again = expectStatus(await call('createConversation', { auth: bearer(b.token), body: { type: 'direct', members: [a.agentId] } }), 201, 200);
    const id = (first.body as { conversation_id: string }).conversation_id;
    expect((again.body as { conversation_id: string }).conversation_id).toBe(id);
    const dm = expectStatus(await call('sendMessage', { auth: bearer(a.token), body: { recipient_agent_id: b.agentId, content: 'via shortcut' } }), 201, 200);
    expect((dm.body as { conversation_id: string }).conversation_id).toBe(id);
  });

  contract('inferred', 'an unknown member is 404 NOT_FOUND', async () => {
    const a = await contractActor();
    expectError(await call('createConversation', { auth: bearer(a.token), body: { type: 'group', name: 'x', members: ['agt_00000000000000000000000000000000'] } }), 404, 'NOT_FOUND');
  });
});

inferredPartsOfThisFile();
