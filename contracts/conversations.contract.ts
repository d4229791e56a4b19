// createConversation: the Quickstart's group conversation and the direct find-or-create.
import { describe, expect } from 'vitest';
import { bearer, contractActor } from './lib/actors.ts';
import { call, useContractTarget } from './lib/call.ts';
import { expectError, expectStatus } from './lib/checks.ts';
import { contract } from './lib/contract.ts';

useContractTarget();

describe('createConversation', () => {
  contract('quickstart', 'creates a group conversation with the caller as a member (Quickstart step 4)', async () => {
    const a = await contractActor({ scopes: ['messages:read', 'messages:write', 'conversations:read'] });
    const ex = expectStatus(await call('createConversation', { auth: bearer(a.token), body: { type: 'group', name: 'Project Team', members: [] } }), 201, 200);
    expect((ex.body as { members: string[] }).members).toContain(a.agentId);
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
