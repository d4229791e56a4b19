// Blocks hold on every path that would put one agent in front of another, not only on sending: making
// a group with someone who blocked you, renaming a group a member blocked you in, the direct-message
// shortcut or a direct conversation (refused before anything is made: no conversation, no sync event),
// re-adding someone who blocked the group and left it; and a mention names members only.
import { describe, expect, it } from 'vitest';
import { expectError, world } from './chat-helpers.ts';

describe('blocks cannot be bypassed', () => {
  it('createConversation: a group with a member who blocked the creator is 403, and nothing is made', async () => {
    const { as, block, alice, bob, carol, fake, violations } = await world();
    expect((await block(alice, { target_id: bob.agentId })).status).toBe(201);
    const res = await as(bob.token, 'post', '/api/conversations').send({ type: 'group', name: 'Trap', members: [carol.agentId, alice.agentId] });
    expectError(res, 403, 'FORBIDDEN');
    expect(fake.control.inspect().conversations).toEqual([]);
    // Without the blocker it works; the blocker may still make a group with the agent it blocked.
    expect((await as(bob.token, 'post', '/api/conversations').send({ type: 'group', name: 'Fine', members: [carol.agentId] })).status).toBe(201);
    expect((await as(alice.token, 'post', '/api/conversations').send({ type: 'group', name: 'Mine', members: [bob.agentId] })).status).toBe(201);
    expect(violations).toEqual([]);
  });

  it('updateConversation: renaming is refused where a member blocked the caller, or the caller blocked the group', async () => {
    const { as, block, group, alice, bob, carol } = await world();
    const conv = await group(alice, [bob.agentId, carol.agentId]);
    expect((await block(carol, { target_id: bob.agentId })).status).toBe(201);
    expectError(await as(bob.token, 'patch', `/api/conversations/${conv}`).send({ name: 'Hijacked' }), 403, 'FORBIDDEN');
    expect((await block(alice, { type: 'group', target_id: conv })).status).toBe(201);
    expectError(await as(alice.token, 'patch', `/api/conversations/${conv}`).send({ name: 'Mine' }), 403, 'FORBIDDEN');
    const renamed = await as(carol.token, 'patch', `/api/conversations/${conv}`).send({ name: 'Still Team' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Still Team');
  });

  it('sendMessage: a refused direct message makes no conversation and no conversation.joined event', async () => {
    const { as, block, send, alice, bob, fake } = await world();
    expect((await block(alice, { target_id: bob.agentId })).status).toBe(201);
    expectError(await send(bob, { recipient_agent_id: alice.agentId, content: 'let me in' }), 403, 'FORBIDDEN');
    // The blocker cannot open it either.
    expectError(await send(alice, { recipient_agent_id: bob.agentId, content: 'hi' }), 403, 'FORBIDDEN');
    expect(fake.control.inspect().conversations).toEqual([]);
    for (const who of [alice, bob]) {
      const sync = await as(who.token, 'get', '/api/sync');
      expect(sync.body.events).toEqual([]);
      expect((await as(who.token, 'get', '/api/conversations')).body.conversations).toEqual([]);
    }
  });

  it('createConversation: a direct conversation with a blocker (either way) is 403 and not made', async () => {
    const { as, block, alice, bob, fake } = await world();
    expect((await block(alice, { target_id: bob.agentId })).status).toBe(201);
    expectError(await as(bob.token, 'post', '/api/conversations').send({ type: 'direct', members: [alice.agentId] }), 403, 'FORBIDDEN');
    expectError(await as(alice.token, 'post', '/api/conversations').send({ type: 'direct', members: [bob.agentId] }), 403, 'FORBIDDEN');
    expect(fake.control.inspect().conversations).toEqual([]);
  });

  it('addConversationMembers: an agent who blocked the group and left it cannot be re-added', async () => {
    const { as, block, group, alice, bob } = await world();
    const conv = await group(alice, [bob.agentId]);
    expect((await block(bob, { type: 'group', target_id: conv })).status).toBe(201);
    expect((await as(bob.token, 'post', `/api/conversations/${conv}/leave`)).status).toBe(204);
    expectError(await as(alice.token, 'post', `/api/conversations/${conv}/members`).send({ agent_id: bob.agentId }), 403, 'FORBIDDEN');
    expect((await as(alice.token, 'get', `/api/conversations/${conv}`)).body.members).toEqual([alice.agentId]);
    // Once bob lifts the group block, he may be added again.
    const blocks = (await as(bob.token, 'get', '/api/blocks')).body.blocks;
    expect((await as(bob.token, 'delete', `/api/blocks/${blocks[0].block_id}`)).status).toBe(204);
    expect((await as(alice.token, 'post', `/api/conversations/${conv}/members`).send({ agent_id: bob.agentId })).status).toBe(200);
  });

  it('sendMessage: mention must name members of the conversation (400)', async () => {
    const { send, group, alice, bob, carol } = await world();
    const conv = await group(alice, [bob.agentId]);
    const outsider = await send(alice, { conversation_id: conv, content: 'hey @carol', mention: [carol.agentId] });
    expectError(outsider, 400, 'INVALID_REQUEST');
    expect(outsider.body.error.message).toContain(carol.agentId);
    expectError(await send(alice, { conversation_id: conv, content: 'hey', mention: ['agt_00000000000000000000000000000000'] }), 400, 'INVALID_REQUEST');
    const ok = await send(alice, { conversation_id: conv, content: 'hey @bob', mention: [bob.agentId] });
    expect(ok.status).toBe(201);
    expect(ok.body.mention).toEqual([bob.agentId]);
  });
});
