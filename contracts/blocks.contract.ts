// createBlock, listBlocks, deleteBlock, and the blocks' documented effect on sending.
import { describe, expect } from 'vitest';
import { bearer, contractActor, type Actor } from './lib/actors.ts';
import { call, useContractTarget } from './lib/call.ts';
import { expectError, expectStatus } from './lib/checks.ts';
import { contract, inferredPartsOfThisFile } from './lib/contract.ts';

useContractTarget();

interface Block { block_id: string; target_type: string; target_id: string }

async function block(owner: Actor, body: Record<string, string>) {
  return expectStatus(await call('createBlock', { auth: bearer(owner.token), body }), 201, 200).body as Block;
}
async function listAll(owner: Actor) {
  return (expectStatus(await call('listBlocks', { auth: bearer(owner.token), query: { limit: 100 } }), 200).body as { blocks: Block[] }).blocks;
}
async function group(owner: Actor) {
  const ex = expectStatus(await call('createConversation', { auth: bearer(owner.token), body: { type: 'group', name: 'contract', members: [] } }), 201, 200);
  return (ex.body as { conversation_id: string }).conversation_id;
}

describe('createBlock', () => {
  // The write is verified by a read: the block is in the owner's list.
  contract('documented', 'blocks an agent', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const created = await block(a, { target_id: b.agentId });
    expect(created.target_id).toBe(b.agentId);
    expect(created.target_type, 'no type: an agent block').not.toBe('group');
    expect((await listAll(a)).find((x) => x.block_id === created.block_id)).toMatchObject({ target_id: b.agentId, target_type: created.target_type });
  });

  contract('documented', 'a type other than group is an agent block: not a group block, and the blocked agent can no longer DM the blocker', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const created = await block(b, { type: 'whatever', target_id: a.agentId });
    expect(created.target_type).not.toBe('group');
    expectStatus(await call('sendMessage', { auth: bearer(a.token), body: { recipient_agent_id: b.agentId, content: 'blocked' } }), 403, 404);
  });

  contract('documented', 'target_id is required: a body without it is 400 INVALID_REQUEST', async () => {
    const a = await contractActor();
    expectError(await call('createBlock', { auth: bearer(a.token), body: { type: 'group' } }), 400, 'INVALID_REQUEST');
  });

  contract('documented', 'blocks a group conversation (type group)', async () => {
    const a = await contractActor();
    const conversationId = await group(a);
    const created = await block(a, { type: 'group', target_id: conversationId });
    expect(created).toMatchObject({ target_type: 'group', target_id: conversationId });
  });

  contract('inferred', 'an agent block is stored with target_type agent, also for an unknown type value', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    expect((await block(a, { type: 'whatever', target_id: b.agentId })).target_type).toBe('agent');
  });

  contract('documented', 'blocking the same target twice is 409 CONFLICT', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    await block(a, { target_id: b.agentId });
    expectError(await call('createBlock', { auth: bearer(a.token), body: { target_id: b.agentId } }), 409, 'CONFLICT');
  });

  contract('documented', 'an unknown target is 400 INVALID_TARGET', async () => {
    const a = await contractActor();
    expectError(await call('createBlock', { auth: bearer(a.token), body: { target_id: 'agt_00000000000000000000000000000000' } }), 400, 'INVALID_TARGET');
  });

  // The docs name INVALID_TARGET but not that blocking oneself earns it: our inference.
  contract('inferred', 'blocking oneself is 400 INVALID_TARGET', async () => {
    const a = await contractActor();
    expectError(await call('createBlock', { auth: bearer(a.token), body: { target_id: a.agentId } }), 400, 'INVALID_TARGET');
  });

  contract('documented', 'auth required on every Blocks endpoint: no token is 401', async () => {
    expectStatus(await call('createBlock', { body: { target_id: 'agt_00000000000000000000000000000000' } }), 401);
    expectStatus(await call('listBlocks'), 401);
    expectStatus(await call('deleteBlock', { path: { block_id: 'blk_00000000-0000-4000-8000-000000000000' } }), 401);
  });

  contract('documented', 'blocks stop sending: the blocked agent cannot DM the blocker; removing the block restores it', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    expectStatus(await call('sendMessage', { auth: bearer(a.token), body: { recipient_agent_id: b.agentId, content: 'before' } }), 201, 200);
    const created = await block(b, { target_id: a.agentId });
    // Documented: the sender "may not post"; the status is not documented (403 is our inference, below).
    expectStatus(await call('sendMessage', { auth: bearer(a.token), body: { recipient_agent_id: b.agentId, content: 'blocked' } }), 403, 404);
    expectStatus(await call('deleteBlock', { path: { block_id: created.block_id }, auth: bearer(b.token) }), 204, 200);
    expectStatus(await call('sendMessage', { auth: bearer(a.token), body: { recipient_agent_id: b.agentId, content: 'after' } }), 201, 200);
  });

  contract('documented', 'blocks stop sending: no posting into a group where a member blocked the sender', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const ex = expectStatus(await call('createConversation', { auth: bearer(a.token), body: { type: 'group', name: 'contract', members: [b.agentId] } }), 201, 200);
    const conversationId = (ex.body as { conversation_id: string }).conversation_id;
    expectStatus(await call('sendMessage', { auth: bearer(a.token), body: { conversation_id: conversationId, content: 'before' } }), 201, 200);
    await block(b, { target_id: a.agentId });
    expectStatus(await call('sendMessage', { auth: bearer(a.token), body: { conversation_id: conversationId, content: 'blocked' } }), 403, 404);
  });

  contract('documented', 'blocks stop sending: no posting into a conversation the sender blocked', async () => {
    const a = await contractActor();
    const conversationId = await group(a);
    await block(a, { type: 'group', target_id: conversationId });
    expectStatus(await call('sendMessage', { auth: bearer(a.token), body: { conversation_id: conversationId, content: 'x' } }), 403, 404);
  });

  contract('inferred', 'sending past a block is 403 FORBIDDEN (agent block and group block)', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    await block(b, { target_id: a.agentId });
    expectError(await call('sendMessage', { auth: bearer(a.token), body: { recipient_agent_id: b.agentId, content: 'x' } }), 403, 'FORBIDDEN');
    const conversationId = await group(b);
    await block(b, { type: 'group', target_id: conversationId });
    expectError(await call('sendMessage', { auth: bearer(b.token), body: { conversation_id: conversationId, content: 'x' } }), 403, 'FORBIDDEN');
  });
});

describe('listBlocks', () => {
  contract('documented', 'lists own blocks in pagination Shape A (has_more, next_cursor)', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const created = await block(a, { target_id: b.agentId });
    const ex = expectStatus(await call('listBlocks', { auth: bearer(a.token) }), 200);
    const page = ex.body as { blocks: Block[]; has_more: boolean };
    expect(page.blocks.map((x) => x.block_id)).toContain(created.block_id);
    expect(typeof page.has_more).toBe('boolean');
  });

  contract('documented', 'limit and the opaque next_cursor page through every block exactly once (in any order)', async () => {
    const [a, b, c, d] = await Promise.all([contractActor(), contractActor(), contractActor(), contractActor()]);
    const ids = [(await block(a, { target_id: b.agentId })).block_id, (await block(a, { target_id: c.agentId })).block_id, (await block(a, { target_id: d.agentId })).block_id];
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 6; i++) {
      const page = expectStatus(await call('listBlocks', { auth: bearer(a.token), query: cursor ? { limit: 2, cursor } : { limit: 2 } }), 200).body as { blocks: Block[]; has_more: boolean; next_cursor?: string | null };
      expect(page.blocks.length, 'a page holds at most limit blocks').toBeLessThanOrEqual(2);
      seen.push(...page.blocks.map((x) => x.block_id));
      if (!page.has_more) break;
      expect(typeof page.next_cursor, 'has_more: a next_cursor to follow').toBe('string');
      cursor = page.next_cursor!;
    }
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  contract('inferred', 'limit and the opaque cursor walk every block exactly once, oldest first', async () => {
    const [a, b, c] = await Promise.all([contractActor(), contractActor(), contractActor()]);
    const ids = [(await block(a, { target_id: b.agentId })).block_id, (await block(a, { target_id: c.agentId })).block_id];
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 5; i++) {
      const ex = expectStatus(await call('listBlocks', { auth: bearer(a.token), query: cursor ? { limit: 1, cursor } : { limit: 1 } }), 200);
      const page = ex.body as { blocks: Block[]; has_more: boolean; next_cursor: string | null };
      expect(page.blocks.length).toBeLessThanOrEqual(1);
      seen.push(...page.blocks.map((x) => x.block_id));
      if (!page.has_more) break;
      cursor = page.next_cursor ?? undefined;
    }
    expect(seen).toEqual(ids);
  });
});

describe('deleteBlock', () => {
  contract('documented', 'gone after delete: the block leaves the list', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const created = await block(a, { target_id: b.agentId });
    expectStatus(await call('deleteBlock', { path: { block_id: created.block_id }, auth: bearer(a.token) }), 204, 200);
    expect((await listAll(a)).map((x) => x.block_id)).not.toContain(created.block_id);
  });

  contract('inferred', 'deleting it again, or someone else\'s block, is 404 NOT_FOUND', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const created = await block(a, { target_id: b.agentId });
    expectError(await call('deleteBlock', { path: { block_id: created.block_id }, auth: bearer(b.token) }), 404, 'NOT_FOUND');
    expectStatus(await call('deleteBlock', { path: { block_id: created.block_id }, auth: bearer(a.token) }), 204, 200);
    expectError(await call('deleteBlock', { path: { block_id: created.block_id }, auth: bearer(a.token) }), 404, 'NOT_FOUND');
  });
});

inferredPartsOfThisFile();
