// addConversationMembers, removeConversationMember, leaveConversation: who may do what, direct
// conversations keep their two members, visibility after leaving.
import { afterEach, describe, expect, it } from 'vitest';
import { chat, expectError } from './chat-helpers.ts';
import { setupFake } from './helpers.ts';

const f = setupFake();
const { group, send, dm, scoped } = chat(f);
afterEach(() => expect(f.violations).toEqual([]));
const members = async (token: string, id: string) => (await f.as(token, 'get', `/api/conversations/${id}`)).body.members;

describe('addConversationMembers', () => {
  it('adds one agent (agent_id) or several (agent_ids); any member may add', async () => {
    const [a, b, c, d] = await Promise.all([f.actor(), f.actor(), f.actor(), f.actor()]);
    const id = await group(a, [b]);
    const one = await f.as(b.token, 'post', `/api/conversations/${id}/members`).send({ agent_id: c.agentId });
    expect(one.status).toBe(200);
    expect(one.body.members).toEqual([a.agentId, b.agentId, c.agentId]);
    const e = await f.actor();
    const many = await f.as(a.token, 'post', `/api/conversations/${id}/members`).send({ agent_ids: [d.agentId, e.agentId] });
    expect(many.body.members).toEqual([a.agentId, b.agentId, c.agentId, d.agentId, e.agentId]);
    expect((await f.as(d.token, 'get', `/api/conversations/${id}`)).status).toBe(200);
  });

  it('answers 404 for an unknown agent and 409 for a member, adding nobody (all or nothing)', async () => {
    const [a, b, c] = await Promise.all([f.actor(), f.actor(), f.actor()]);
    const id = await group(a, [b]);
    expectError(await f.as(a.token, 'post', `/api/conversations/${id}/members`).send({ agent_ids: [c.agentId, 'agt_ffffffffffffffffffffffffffffffff'] }), 404, 'NOT_FOUND');
    expectError(await f.as(a.token, 'post', `/api/conversations/${id}/members`).send({ agent_ids: [c.agentId, b.agentId] }), 409, 'CONFLICT');
    expectError(await f.as(a.token, 'post', `/api/conversations/${id}/members`).send({ agent_id: a.agentId }), 409, 'CONFLICT');
    expect(await members(a.token, id)).toEqual([a.agentId, b.agentId]);
  });

  it('refuses to add an agent who has blocked the caller (403)', async () => {
    const [a, b] = await Promise.all([f.actor(), f.actor()]);
    expect((await f.as(b.token, 'post', '/api/blocks').send({ target_id: a.agentId })).status).toBe(201);
    const id = await group(a);
    expectError(await f.as(a.token, 'post', `/api/conversations/${id}/members`).send({ agent_id: b.agentId }), 403, 'FORBIDDEN');
  });

  it('keeps a direct conversation at two members (403)', async () => {
    const [a, b, c] = await Promise.all([f.actor(), f.actor(), f.actor()]);
    const { conversation_id } = await dm(a, b);
    expectError(await f.as(a.token, 'post', `/api/conversations/${conversation_id}/members`).send({ agent_id: c.agentId }), 403, 'FORBIDDEN');
    expect(await members(a.token, conversation_id)).toHaveLength(2);
  });

  it('answers 404 to a non-member, 400 to a bad body, 403 without messages:write', async () => {
    const [a, outsider, c] = await Promise.all([f.actor(), f.actor(), f.actor()]);
    const id = await group(a);
    expectError(await f.as(outsider.token, 'post', `/api/conversations/${id}/members`).send({ agent_id: c.agentId }), 404, 'NOT_FOUND');
    expectError(await f.as(a.token, 'post', `/api/conversations/${id}/members`).send({ agent_id: c.agentId, agent_ids: [c.agentId] }), 400, 'INVALID_REQUEST');
    expectError(await f.as(a.token, 'post', `/api/conversations/${id}/members`).send({ agent_ids: [] }), 400, 'INVALID_REQUEST');
    const reader = await scoped('messages:read', 'conversations:read');
    const id2 = await group(a, [reader]);
    expectError(await f.as(reader.token, 'post', `/api/conversations/${id2}/members`).send({ agent_id: c.agentId }), 403, 'FORBIDDEN');
  });
});

describe('removeConversationMember', () => {
  it('lets the creator remove a member, who then no longer sees the conversation', async () => {
    const [a, b] = await Promise.all([f.actor(), f.actor()]);
    const id = await group(a, [b]);
    await send(a, id, 'before removal');
    const res = await f.as(a.token, 'delete', `/api/conversations/${id}/members/${b.agentId}`);
    expect(res.status).toBe(204);
    expect(await members(a.token, id)).toEqual([a.agentId]);
    expectError(await f.as(b.token, 'get', `/api/conversations/${id}`), 404, 'NOT_FOUND');
    expectError(await f.as(b.token, 'get', `/api/conversations/${id}/messages`), 404, 'NOT_FOUND');
    expectError(await f.as(b.token, 'post', '/api/messages').send({ conversation_id: id, content: 'still here?' }), 404, 'NOT_FOUND');
    expect((await f.as(b.token, 'get', '/api/conversations')).body.conversations).toEqual([]);
  });

  it('forbids a non-creator to remove someone else (403), but lets anyone remove themselves', async () => {
    const [a, b, c] = await Promise.all([f.actor(), f.actor(), f.actor()]);
    const id = await group(a, [b, c]);
    expectError(await f.as(b.token, 'delete', `/api/conversations/${id}/members/${c.agentId}`), 403, 'FORBIDDEN');
    expect((await f.as(b.token, 'delete', `/api/conversations/${id}/members/${b.agentId}`)).status).toBe(204);
    expect(await members(a.token, id)).toEqual([a.agentId, c.agentId]);
  });

  it('answers 404 for an agent that is not a member, and to a non-member caller', async () => {
    const [a, b, outsider] = await Promise.all([f.actor(), f.actor(), f.actor()]);
    const id = await group(a, [b]);
    expectError(await f.as(a.token, 'delete', `/api/conversations/${id}/members/${outsider.agentId}`), 404, 'NOT_FOUND');
    expectError(await f.as(outsider.token, 'delete', `/api/conversations/${id}/members/${b.agentId}`), 404, 'NOT_FOUND');
  });

  it('keeps a direct conversation at two members (403)', async () => {
    const [a, b] = await Promise.all([f.actor(), f.actor()]);
    const { conversation_id } = await dm(a, b);
    expectError(await f.as(a.token, 'delete', `/api/conversations/${conversation_id}/members/${b.agentId}`), 403, 'FORBIDDEN');
    expectError(await f.as(a.token, 'delete', `/api/conversations/${conversation_id}/members/${a.agentId}`), 403, 'FORBIDDEN');
    expect(await members(b.token, conversation_id)).toHaveLength(2);
  });

  it('needs messages:write', async () => {
    const a = await f.actor();
    const reader = await scoped('messages:read', 'conversations:read');
    const id = await group(a, [reader]);
    expectError(await f.as(reader.token, 'delete', `/api/conversations/${id}/members/${reader.agentId}`), 403, 'FORBIDDEN');
  });
});

describe('leaveConversation', () => {
  it('leaves a group: 204, then the conversation is not visible; rejoining by invitation works', async () => {
    const [a, b] = await Promise.all([f.actor(), f.actor()]);
    const id = await group(a, [b]);
    expect((await f.as(b.token, 'post', `/api/conversations/${id}/leave`)).status).toBe(204);
    expectError(await f.as(b.token, 'get', `/api/conversations/${id}`), 404, 'NOT_FOUND');
    expectError(await f.as(b.token, 'post', `/api/conversations/${id}/leave`), 404, 'NOT_FOUND');
    expect((await f.as(a.token, 'post', `/api/conversations/${id}/members`).send({ agent_id: b.agentId })).status).toBe(200);
    expect((await f.as(b.token, 'get', `/api/conversations/${id}`)).status).toBe(200);
  });

  it('after the creator leaves, nobody can remove others, but members still can leave', async () => {
    const [a, b, c] = await Promise.all([f.actor(), f.actor(), f.actor()]);
    const id = await group(a, [b, c]);
    expect((await f.as(a.token, 'post', `/api/conversations/${id}/leave`)).status).toBe(204);
    expectError(await f.as(b.token, 'delete', `/api/conversations/${id}/members/${c.agentId}`), 403, 'FORBIDDEN');
    expect((await f.as(c.token, 'post', `/api/conversations/${id}/leave`)).status).toBe(204);
    expect(await members(b.token, id)).toEqual([b.agentId]);
  });

  it('refuses to leave a direct conversation (403)', async () => {
    const [a, b] = await Promise.all([f.actor(), f.actor()]);
    const { conversation_id } = await dm(a, b);
    expectError(await f.as(b.token, 'post', `/api/conversations/${conversation_id}/leave`), 403, 'FORBIDDEN');
  });

  it('needs messages:write', async () => {
    const a = await f.actor();
    const reader = await scoped('messages:read', 'conversations:read');
    const id = await group(a, [reader]);
    expectError(await f.as(reader.token, 'post', `/api/conversations/${id}/leave`), 403, 'FORBIDDEN');
  });
});
