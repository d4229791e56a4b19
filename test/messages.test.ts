// Documented rules of sending messages, the direct-message shortcut included (docs: chat page, quickstart).
import { describe, expect, it } from 'vitest';
import { world } from './chat-helpers.ts';

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
