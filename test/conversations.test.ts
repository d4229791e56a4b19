// listConversations, getConversation, updateConversation: order, pagination, per-caller fields,
// scopes and visibility.
import { afterEach, describe, expect, it } from 'vitest';
import { chat, expectError, NO_CHAT_SCOPES } from './chat-helpers.ts';
import { setupFake } from './helpers.ts';

const f = setupFake();
const { group, send, dm, scoped } = chat(f);
afterEach(() => expect(f.violations).toEqual([]));

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
