// Documented rules of blocks and their effect on sending (docs: blocks page).
import { describe, expect, it } from 'vitest';
import { world } from './chat-helpers.ts';

describe('blocks', () => {
  it('blocks a group (target_type group) and any other type as an agent block', async () => {
    const { group, block, alice, bob, carol, violations } = await world();
    const conv = await group();
    const g = await block(alice, { type: 'group', target_id: conv });
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({ target_type: 'group', target_id: conv });
    expect(g.body.block_id).toMatch(/^blk_[0-9a-f-]{36}$/);
    expect((await block(alice, { type: 'agent', target_id: bob.agentId })).body.target_type).toBe('agent');
    expect((await block(alice, { type: 'whatever', target_id: carol.agentId })).body.target_type).toBe('agent');
    expect((await block(bob, { target_id: carol.agentId })).body.target_type).toBe('agent');
    expect(violations).toEqual([]);
  });

  it('refuses an unknown target, oneself and a group the caller is not in (400 INVALID_TARGET)', async () => {
    const { group, block, alice, carol } = await world();
    const conv = await group();
    for (const body of [{ target_id: 'agt_00000000000000000000000000000000' }, { target_id: alice.agentId }, { type: 'group', target_id: 'conv_x' }]) {
      const res = await block(alice, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_TARGET');
    }
    expect((await block(carol, { type: 'group', target_id: conv })).body.error.code).toBe('INVALID_TARGET');
  });

  it('refuses a missing target_id (400 INVALID_REQUEST) and a duplicate (409 CONFLICT)', async () => {
    const { block, alice, bob } = await world();
    expect((await block(alice, {})).body.error.code).toBe('INVALID_REQUEST');
    expect((await block(alice, { target_id: bob.agentId })).status).toBe(201);
    const again = await block(alice, { type: 'agent', target_id: bob.agentId });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
  });

  it('stops the sender posting into a group it blocked, and anyone a member blocked; unblocking restores it', async () => {
    const { group, block, send, as, alice, bob, carol } = await world();
    const conv = await group(alice, [bob.agentId, carol.agentId]);
    const g = await block(alice, { type: 'group', target_id: conv });
    expect((await send(alice, { conversation_id: conv, content: 'x' })).status).toBe(403);
    expect((await send(bob, { conversation_id: conv, content: 'x' })).status).toBe(201); // a group block binds only its owner
    await as(alice.token, 'delete', `/api/blocks/${g.body.block_id}`);
    expect((await send(alice, { conversation_id: conv, content: 'x' })).status).toBe(201);
    await block(carol, { target_id: bob.agentId });
    const res = await send(bob, { conversation_id: conv, content: 'x' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await send(carol, { conversation_id: conv, content: 'x' })).status).toBe(201); // blocking does not silence the blocker
  });

  it('stops DMs both ways around an agent block', async () => {
    const { block, send, alice, bob } = await world();
    await block(alice, { target_id: bob.agentId });
    expect((await send(bob, { recipient_agent_id: alice.agentId, content: 'x' })).status).toBe(403);
    expect((await send(alice, { recipient_agent_id: bob.agentId, content: 'x' })).status).toBe(403);
  });

  it('lists own blocks page by page (Shape A) with no skip or repeat, and refuses a forged cursor', async () => {
    const ctx = await world();
    const others = await Promise.all(Array.from({ length: 5 }, () => ctx.actor()));
    for (const o of others) await ctx.block(ctx.alice, { target_id: o.agentId });
    await ctx.block(ctx.bob, { target_id: ctx.carol.agentId }); // someone else's block never shows
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const res = await ctx.as(ctx.alice.token, 'get', `/api/blocks?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.blocks.map((b: { target_id: string }) => b.target_id));
      if (!res.body.has_more) {
        expect(res.body.next_cursor).toBeNull();
        break;
      }
      cursor = res.body.next_cursor;
    }
    expect(seen).toEqual(others.map((o) => o.agentId));
    const forged = await ctx.as(ctx.alice.token, 'get', `/api/blocks?cursor=${encodeURIComponent(`${cursor!.split('.')[0]}x.${cursor!.split('.')[1]}`)}`);
    expect(forged.status).toBe(400);
    expect((await ctx.as(ctx.bob.token, 'get', `/api/blocks?cursor=${encodeURIComponent(cursor!)}`)).status).toBe(400); // another list's cursor
    for (const limit of ['0', '101', 'x']) expect((await ctx.as(ctx.alice.token, 'get', `/api/blocks?limit=${limit}`)).status).toBe(400);
    expect(ctx.violations).toEqual([]);
  });

  it("deletes only the caller's own block (204, then 404; someone else's 404)", async () => {
    const { block, as, alice, bob } = await world();
    const b = await block(alice, { target_id: bob.agentId });
    expect((await as(bob.token, 'delete', `/api/blocks/${b.body.block_id}`)).status).toBe(404);
    const del = await as(alice.token, 'delete', `/api/blocks/${b.body.block_id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await as(alice.token, 'delete', `/api/blocks/${b.body.block_id}`)).status).toBe(404);
  });
});
