// Documented rules of conversations, messages and blocks (docs: chat and blocks pages).
import { describe, expect, it } from 'vitest';
import { setupFake } from './helpers.ts';

async function world() {
  const ctx = setupFake();
  const [alice, bob, carol] = await Promise.all([ctx.actor({ name: 'alice' }), ctx.actor({ name: 'bob' }), ctx.actor({ name: 'carol' })]);
  const group = async (by = alice, members: string[] = [bob.agentId]) =>
    (await ctx.as(by.token, 'post', '/api/conversations').send({ type: 'group', name: 'Team', members })).body.conversation_id as string;
  const send = (by: typeof alice, body: object) => ctx.as(by.token, 'post', '/api/messages').send(body);
  const block = (by: typeof alice, body: object) => ctx.as(by.token, 'post', '/api/blocks').send(body);
  return { ...ctx, alice, bob, carol, group, send, block };
}

describe('createConversation', () => {
  it('creates a group with the caller and the members', async () => {
    const { as, alice, bob, violations } = await world();
    const res = await as(alice.token, 'post', '/api/conversations').send({ type: 'group', name: 'Project Team', members: [bob.agentId] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: 'group', name: 'Project Team', members: [alice.agentId, bob.agentId], created_by: alice.agentId });
    expect(res.body.conversation_id).toMatch(/^conv_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(violations).toEqual([]);
  });

  it('refuses an unknown member (404) and creates nothing', async () => {
    const { as, alice, fake } = await world();
    const res = await as(alice.token, 'post', '/api/conversations').send({ type: 'group', members: ['agt_00000000000000000000000000000000'] });
    expect(res.status).toBe(404);
    expect(fake.state().data.conversations.conversations.size).toBe(0);
  });

  it('returns the one 1:1 conversation of a pair for type direct, shared with the DM shortcut', async () => {
    const { as, alice, bob, send } = await world();
    const viaShortcut = await send(alice, { recipient_agent_id: bob.agentId, content: 'hi' });
    const direct = await as(bob.token, 'post', '/api/conversations').send({ type: 'direct', members: [alice.agentId] });
    expect(direct.status).toBe(200);
    expect(direct.body.conversation_id).toBe(viaShortcut.body.conversation_id);
    expect(direct.body.type).toBe('direct');
  });

  it.each([[[]], [['x', 'y']]])('refuses a direct conversation without exactly one other member (%j)', async (members) => {
    const { as, alice, bob, carol } = await world();
    const ids = (members as string[]).length === 2 ? [bob.agentId, carol.agentId] : [];
    const res = await as(alice.token, 'post', '/api/conversations').send({ type: 'direct', members: ids });
    expect(res.status).toBe(400);
  });

  it.each([
    ['an unknown type', { type: 'channel' }],
    ['a name too long', { name: 'n'.repeat(101) }],
    ['members not an array', { members: 'agt_x' }],
  ])('refuses %s (400)', async (_what, body) => {
    const { as, alice } = await world();
    const res = await as(alice.token, 'post', '/api/conversations').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
  });
});

describe('sendMessage', () => {
  it('sends into a conversation the sender belongs to, with the documented defaults', async () => {
    const { group, send, alice, violations } = await world();
    const conv = await group();
    const res = await send(alice, { conversation_id: conv, content: 'Hello!' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ conversation_id: conv, sender_id: alice.agentId, content: 'Hello!', type: 'text', status: 'sent', in_reply_to: null, mention: [], edited_at: null });
    expect(res.body.message_id).toMatch(/^msg_[0-9a-f-]{36}$/);
    expect(violations).toEqual([]);
  });

  it('accepts type command and system, a reply in the same conversation and 50 mentions', async () => {
    const { group, send, alice, bob } = await world();
    const conv = await group();
    const first = await send(alice, { conversation_id: conv, content: 'a', type: 'command' });
    expect(first.body.type).toBe('command');
    const reply = await send(bob, { conversation_id: conv, content: 'b', type: 'system', in_reply_to: first.body.message_id, mention: Array(50).fill(alice.agentId) });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ in_reply_to: first.body.message_id, type: 'system' });
  });

  it('counts content in characters: 10000 emoji (20000 UTF-16 units) are accepted, 10001 characters are not', async () => {
    const { group, send, alice } = await world();
    const conv = await group();
    expect((await send(alice, { conversation_id: conv, content: '😀'.repeat(10000) })).status).toBe(201);
    expect((await send(alice, { conversation_id: conv, content: 'x'.repeat(10000) })).status).toBe(201);
    expect((await send(alice, { conversation_id: conv, content: 'x'.repeat(10001) })).status).toBe(400);
  });

  it.each([
    ['both targets', (c: string, b: string) => ({ conversation_id: c, recipient_agent_id: b, content: 'x' })],
    ['no target', () => ({ content: 'x' })],
    ['empty content', (c: string) => ({ conversation_id: c, content: '' })],
    ['no content', (c: string) => ({ conversation_id: c })],
    ['an unknown type', (c: string) => ({ conversation_id: c, content: 'x', type: 'html' })],
    ['51 mentions', (c: string, b: string) => ({ conversation_id: c, content: 'x', mention: Array(51).fill(b) })],
    ['mention not an array', (c: string, b: string) => ({ conversation_id: c, content: 'x', mention: b })],
  ])('refuses %s (400 INVALID_REQUEST) and stores nothing', async (_what, make) => {
    const { group, send, alice, bob, fake } = await world();
    const conv = await group();
    const res = await send(alice, make(conv, bob.agentId));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
    expect(fake.state().data.messages.messages.size).toBe(0);
  });

  it('names both fields when both targets are given', async () => {
    const { send, alice, bob } = await world();
    const res = await send(alice, { conversation_id: 'conv_x', recipient_agent_id: bob.agentId, content: 'x' });
    expect(res.body.error.message).toContain('exactly one of conversation_id or recipient_agent_id');
  });

  it('hides conversations the sender is not a member of (404), and unknown ones (404)', async () => {
    const { group, send, carol } = await world();
    const conv = await group();
    expect((await send(carol, { conversation_id: conv, content: 'x' })).status).toBe(404);
    expect((await send(carol, { conversation_id: 'conv_00000000-0000-4000-8000-000000000000', content: 'x' })).status).toBe(404);
  });

  it('refuses a DM to an unknown agent (404) and to oneself (400)', async () => {
    const { send, alice } = await world();
    expect((await send(alice, { recipient_agent_id: 'agt_target', content: 'x' })).status).toBe(404);
    expect((await send(alice, { recipient_agent_id: alice.agentId, content: 'x' })).status).toBe(400);
  });

  it('refuses in_reply_to a message of another conversation (400)', async () => {
    const { group, send, alice } = await world();
    const [a, b] = [await group(), await group()];
    const m = await send(alice, { conversation_id: a, content: 'x' });
    expect((await send(alice, { conversation_id: b, content: 'y', in_reply_to: m.body.message_id })).status).toBe(400);
  });

  it('finds or creates one 1:1 conversation per pair, in both directions', async () => {
    const { send, alice, bob, carol } = await world();
    const ab = await send(alice, { recipient_agent_id: bob.agentId, content: '1' });
    const ba = await send(bob, { recipient_agent_id: alice.agentId, content: '2' });
    const ac = await send(alice, { recipient_agent_id: carol.agentId, content: '3' });
    expect(ba.body.conversation_id).toBe(ab.body.conversation_id);
    expect(ac.body.conversation_id).not.toBe(ab.body.conversation_id);
  });

  it('creates exactly one 1:1 conversation when 40 shortcut requests race from both sides', async () => {
    const { send, alice, bob, fake } = await world();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? send(alice, { recipient_agent_id: bob.agentId, content: `a${i}` }) : send(bob, { recipient_agent_id: alice.agentId, content: `b${i}` }))));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(results.map((r) => r.body.conversation_id)).size).toBe(1);
    const direct = [...fake.state().data.conversations.conversations.values()].filter((c) => c.type === 'direct');
    expect(direct).toHaveLength(1);
  });
});

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
