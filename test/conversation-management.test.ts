// listConversations, getConversation, updateConversation (order, pagination, per-caller fields, scopes
// and visibility) and membership: addConversationMembers, removeConversationMember, leaveConversation
// (who may do what, direct conversations keep their two members, visibility after leaving).
import { describe, expect, it } from 'vitest';
import { chat, expectError, NO_CHAT_SCOPES } from './chat-helpers.ts';
import { fakePerFile } from './helpers.ts';

const f = fakePerFile();
const { group, send, dm, scoped } = chat(f);
const members = async (token: string, id: string) => (await f.as(token, 'get', `/api/conversations/${id}`)).body.members;

describe('listConversations', () => {
  it('lists only my conversations, most recent activity first, with unread_count and last_message', async () => {
    const [a, b, outsider] = await Promise.all([f.actor(), f.actor(), f.actor()]);
    const first = await group(a, [b], 'first');
    const second = await group(a, [], 'second');
    await group(outsider, [], 'not mine');
    const { conversation_id: direct } = await dm(b, a, 'from b');
    const last = await send(b, first, 'latest in first');

    const res = await f.as(a.token, 'get', '/api/conversations');
    expect(res.status).toBe(200);
    expect(res.body.conversations.map((c: any) => c.conversation_id)).toEqual([first, direct, second]);
    expect(res.body).toMatchObject({ has_more: false, next_cursor: null });
    const [c1, cd, c2] = res.body.conversations;
    expect(c1).toMatchObject({ unread_count: 1, last_message: { message_id: last.message_id, content: 'latest in first' } });
    expect(cd).toMatchObject({ type: 'direct', unread_count: 1 });
    expect(c2).toMatchObject({ unread_count: 0, last_message: null });
  });

  it('does not count my own messages as unread', async () => {
    const [a, b] = await Promise.all([f.actor(), f.actor()]);
    const id = await group(a, [b]);
    await send(a, id);
    await send(a, id);
    const res = await f.as(a.token, 'get', `/api/conversations/${id}`);
    expect(res.body.unread_count).toBe(0);
    expect((await f.as(b.token, 'get', `/api/conversations/${id}`)).body.unread_count).toBe(2);
  });

  it('pages with Shape A and, when activity happens while paging, never repeats a conversation (the moved one heads a fresh first page)', async () => {
    const a = await f.actor();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await group(a, [], `g${i}`));
    const page1 = await f.as(a.token, 'get', '/api/conversations?limit=2');
    expect(page1.body.conversations.map((c: any) => c.conversation_id)).toEqual([ids[4], ids[3]]);
    expect(page1.body.has_more).toBe(true);
    expect(typeof page1.body.next_cursor).toBe('string');

    await send(a, ids[3]); // already served: must not come back
    await send(a, ids[1]); // not yet served: moves to the head, off the remaining pages
    const page2 = await f.as(a.token, 'get', `/api/conversations?limit=2&cursor=${encodeURIComponent(page1.body.next_cursor)}`);
    expect(page2.body.conversations.map((c: any) => c.conversation_id)).toEqual([ids[2], ids[0]]);
    expect(page2.body).toMatchObject({ has_more: false, next_cursor: null });

    const fresh = await f.as(a.token, 'get', '/api/conversations?limit=2');
    expect(fresh.body.conversations.map((c: any) => c.conversation_id)).toEqual([ids[1], ids[3]]);
  });

  it('rejects a forged cursor and another agent\'s cursor with 400 INVALID_REQUEST', async () => {
    const [a, b] = await Promise.all([f.actor(), f.actor()]);
    await group(a);
    await group(a);
    const page = await f.as(a.token, 'get', '/api/conversations?limit=1');
    const cursor: string = page.body.next_cursor;
    expectError(await f.as(a.token, 'get', `/api/conversations?cursor=${cursor}x`), 400, 'INVALID_REQUEST');
    const forged = `${Buffer.from(JSON.stringify({ after: 999 })).toString('base64url')}.${cursor.split('.')[1]}`;
    expectError(await f.as(a.token, 'get', `/api/conversations?cursor=${forged}`), 400, 'INVALID_REQUEST');
    expectError(await f.as(b.token, 'get', `/api/conversations?cursor=${encodeURIComponent(cursor)}`), 400, 'INVALID_REQUEST');
  });

  it('rejects a limit outside 1..100', async () => {
    const a = await f.actor();
    expectError(await f.as(a.token, 'get', '/api/conversations?limit=101'), 400, 'INVALID_REQUEST');
    expectError(await f.as(a.token, 'get', '/api/conversations?limit=0'), 400, 'INVALID_REQUEST');
  });

  it('needs conversations:read (403) and a token (401)', async () => {
    const a = await scoped('messages:read', 'messages:write');
    expectError(await f.as(a.token, 'get', '/api/conversations'), 403, 'FORBIDDEN');
    expect((await f.req('get', '/api/conversations')).status).toBe(401);
    const ok = await scoped('conversations:read');
    expect((await f.as(ok.token, 'get', '/api/conversations')).status).toBe(200);
  });
});

describe('getConversation', () => {
  it('returns a conversation I belong to', async () => {
    const [a, b] = await Promise.all([f.actor(), f.actor()]);
    const id = await group(a, [b], 'Project Team');
    const res = await f.as(b.token, 'get', `/api/conversations/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ conversation_id: id, type: 'group', name: 'Project Team', members: [a.agentId, b.agentId], unread_count: 0, last_message: null });
  });

  it('answers 404 for a conversation I am not a member of, and for an unknown one', async () => {
    const [a, outsider] = await Promise.all([f.actor(), f.actor()]);
    const id = await group(a);
    expectError(await f.as(outsider.token, 'get', `/api/conversations/${id}`), 404, 'NOT_FOUND');
    expectError(await f.as(a.token, 'get', '/api/conversations/conv_00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
  });

  it('needs conversations:read', async () => {
    const a = await scoped(...NO_CHAT_SCOPES);
    const owner = await f.actor();
    const id = await group(owner, [a]);
    expectError(await f.as(a.token, 'get', `/api/conversations/${id}`), 403, 'FORBIDDEN');
  });
});

describe('updateConversation', () => {
  it('lets any member rename a group, and clear the name with null', async () => {
    const [a, b] = await Promise.all([f.actor(), f.actor()]);
    const id = await group(a, [b], 'old');
    const res = await f.as(b.token, 'patch', `/api/conversations/${id}`).send({ name: 'new' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ conversation_id: id, name: 'new', members: [a.agentId, b.agentId] });
    expect((await f.as(a.token, 'get', `/api/conversations/${id}`)).body.name).toBe('new');
    expect((await f.as(a.token, 'patch', `/api/conversations/${id}`).send({ name: null })).body.name).toBeNull();
  });

  it('refuses to change a direct conversation (403)', async () => {
    const [a, b] = await Promise.all([f.actor(), f.actor()]);
    const { conversation_id } = await dm(a, b);
    expectError(await f.as(a.token, 'patch', `/api/conversations/${conversation_id}`).send({ name: 'pair' }), 403, 'FORBIDDEN');
  });

  it('answers 404 to a non-member and 400 to a bad body', async () => {
    const [a, outsider] = await Promise.all([f.actor(), f.actor()]);
    const id = await group(a);
    expectError(await f.as(outsider.token, 'patch', `/api/conversations/${id}`).send({ name: 'mine' }), 404, 'NOT_FOUND');
    expectError(await f.as(a.token, 'patch', `/api/conversations/${id}`).send({}), 400, 'INVALID_REQUEST');
    expectError(await f.as(a.token, 'patch', `/api/conversations/${id}`).send({ name: 'x'.repeat(101) }), 400, 'INVALID_REQUEST');
  });

  it('needs messages:write', async () => {
    const owner = await f.actor();
    const reader = await scoped('messages:read', 'conversations:read');
    const id = await group(owner, [reader]);
    expectError(await f.as(reader.token, 'patch', `/api/conversations/${id}`).send({ name: 'x' }), 403, 'FORBIDDEN');
  });
});

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
