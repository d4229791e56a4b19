// Documented rules of creating conversations (docs: chat page, quickstart).
import { describe, expect, it } from 'vitest';
import { world } from './chat-helpers.ts';

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
