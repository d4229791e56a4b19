// listMessages: Shape B, both orders, stable pages while messages are sent between fetches, deleted
// messages hidden, cursors bound to their walk, visibility and scope; editMessage and deleteMessage: own
// messages only, visibility, limits, scope.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../contracts/lib/actors.ts';
import { chat, expectError } from './chat-helpers.ts';
import { fakePerFile } from './helpers.ts';

const f = fakePerFile();
const { group, send, scoped } = chat(f);

const page = (who: Actor, id: string, query: string) => f.as(who.token, 'get', `/api/conversations/${id}/messages?${query}`);
const contents = (res: { body: any }) => res.body.messages.map((m: any) => m.content);

async function seeded(n: number) {
  const [a, b] = await Promise.all([f.actor(), f.actor()]);
  const id = await group(a, [b]);
  for (let i = 1; i <= n; i++) await send(i % 2 ? a : b, id, `m${i}`);
  return { a, b, id };
}

async function pair() {
  const [a, b] = await Promise.all([f.actor(), f.actor()]);
  const id = await group(a, [b]);
  return { a, b, id };
}


describe('listMessages', () => {
  it('returns newest first by default, with Shape B keys', async () => {
    const { a, id } = await seeded(3);
    const res = await page(a, id, '');
    expect(res.status).toBe(200);
    expect(contents(res)).toEqual(['m3', 'm2', 'm1']);
    expect(res.body).toMatchObject({ has_more: false, cursor: null });
    expect(res.body).not.toHaveProperty('next_cursor');
  });

  it('returns oldest first with order=asc', async () => {
    const { a, id } = await seeded(3);
    expect(contents(await page(a, id, 'order=asc'))).toEqual(['m1', 'm2', 'm3']);
  });

  it('newest first: no message skipped or repeated while messages are sent between page fetches', async () => {
    const { a, b, id } = await seeded(7);
    const all = (await page(a, id, 'order=asc')).body.messages;
    const seen: string[] = [];
    let res = await page(a, id, 'limit=3');
    seen.push(...contents(res));
    let extra = 0;
    while (res.body.has_more) {
      await send(b, id, `new${++extra}`); // newer than the walk's start: never on a later page
      if (extra === 1) {
        // Edits keep a message in its place: a served one does not come back, an unserved one is not lost.
        await f.as(a.token, 'patch', `/api/messages/${all[6].message_id}`).send({ content: 'm7' });
        await f.as(a.token, 'patch', `/api/messages/${all[0].message_id}`).send({ content: 'm1' });
      }
      res = await page(a, id, `limit=3&cursor=${encodeURIComponent(res.body.cursor)}`);
      seen.push(...contents(res));
    }
    expect(seen).toEqual(['m7', 'm6', 'm5', 'm4', 'm3', 'm2', 'm1']);
    expect(res.body.cursor).toBeNull();
  });

  it('oldest first: no message skipped or repeated while messages are sent; the last cursor keeps reading forward', async () => {
    const { a, b, id } = await seeded(5);
    const seen: string[] = [];
    let res = await page(a, id, 'order=asc&limit=2');
    seen.push(...contents(res));
    const servedFirst = res.body.messages[0];
    let extra = 0;
    while (res.body.has_more) {
      if (extra < 3) await send(b, id, `new${++extra}`);
      if (extra === 1) await f.as(a.token, 'patch', `/api/messages/${servedFirst.message_id}`).send({ content: 'm1' });
      res = await page(a, id, `order=asc&limit=2&cursor=${encodeURIComponent(res.body.cursor)}`);
      seen.push(...contents(res));
    }
    expect(seen).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'new1', 'new2', 'new3']);
    expect(typeof res.body.cursor).toBe('string');

    const empty = await page(a, id, `order=asc&cursor=${encodeURIComponent(res.body.cursor)}`);
    expect(empty.body).toMatchObject({ messages: [], has_more: false });
    expect(typeof empty.body.cursor).toBe('string');
    await send(a, id, 'later');
    expect(contents(await page(a, id, `order=asc&cursor=${encodeURIComponent(empty.body.cursor)}`))).toEqual(['later']);
  });

  it('hides deleted messages', async () => {
    const { a, id } = await seeded(0);
    await send(a, id, 'keep');
    const gone = await send(a, id, 'gone');
    expect((await f.as(a.token, 'delete', `/api/messages/${gone.message_id}`)).status).toBe(204);
    expect(contents(await page(a, id, ''))).toEqual(['keep']);
  });

  it('shows a member who joins later the whole history', async () => {
    const { a, id } = await seeded(2);
    const late = await f.actor();
    await f.as(a.token, 'post', `/api/conversations/${id}/members`).send({ agent_id: late.agentId });
    expect(contents(await page(late, id, 'order=asc'))).toEqual(['m1', 'm2']);
  });

  it('rejects forged cursors and cursors of another conversation, caller or order (400)', async () => {
    const { a, b, id } = await seeded(3);
    const other = await group(a, [b]);
    await send(a, other, 'x');
    await send(a, other, 'y');
    const cursor = encodeURIComponent((await page(a, id, 'limit=1')).body.cursor);
    expect((await page(a, id, `limit=1&cursor=${cursor}`)).status).toBe(200);
    expectError(await page(a, id, `cursor=${cursor}AA`), 400, 'INVALID_REQUEST');
    expectError(await page(a, other, `cursor=${cursor}`), 400, 'INVALID_REQUEST');
    expectError(await page(b, id, `cursor=${cursor}`), 400, 'INVALID_REQUEST');
    expectError(await page(a, id, `order=asc&cursor=${cursor}`), 400, 'INVALID_REQUEST');
    expectError(await page(a, id, 'order=sideways'), 400, 'INVALID_REQUEST');
  });

  it('answers 404 to a non-member and for an unknown conversation', async () => {
    const { id } = await seeded(1);
    const outsider = await f.actor();
    expectError(await page(outsider, id, ''), 404, 'NOT_FOUND');
    expectError(await page(outsider, 'conv_00000000-0000-4000-8000-000000000000', ''), 404, 'NOT_FOUND');
  });

  it('needs messages:read', async () => {
    const a = await f.actor();
    const writer = await scoped('messages:write', 'conversations:read');
    const id = await group(a, [writer]);
    expectError(await page(writer, id, ''), 403, 'FORBIDDEN');
    const reader = await scoped('messages:read');
    const id2 = await group(a, [reader]);
    expect((await page(reader, id2, '')).status).toBe(200);
  });
});

describe('editMessage', () => {
  it('replaces the content of my message and sets edited_at; history shows the edit', async () => {
    const { a, id } = await pair();
    const m = await send(a, id, 'draft');
    const res = await f.as(a.token, 'patch', `/api/messages/${m.message_id}`).send({ content: 'final' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ message_id: m.message_id, conversation_id: id, content: 'final', sender_id: a.agentId });
    expect(res.body.edited_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const history = await f.as(a.token, 'get', `/api/conversations/${id}/messages`);
    expect(history.body.messages[0]).toMatchObject({ content: 'final', edited_at: res.body.edited_at });
  });

  it('forbids editing someone else\'s message (403)', async () => {
    const { a, b, id } = await pair();
    const m = await send(a, id, 'mine');
    expectError(await f.as(b.token, 'patch', `/api/messages/${m.message_id}`).send({ content: 'hijacked' }), 403, 'FORBIDDEN');
  });

  it('answers 404 for a message in a conversation I cannot see, also my own after I left', async () => {
    const { b, id } = await pair();
    const outsider = await f.actor();
    const mine = await send(b, id, 'b wrote this');
    expectError(await f.as(outsider.token, 'patch', `/api/messages/${mine.message_id}`).send({ content: 'x' }), 404, 'NOT_FOUND');
    expect((await f.as(b.token, 'post', `/api/conversations/${id}/leave`)).status).toBe(204);
    expectError(await f.as(b.token, 'patch', `/api/messages/${mine.message_id}`).send({ content: 'x' }), 404, 'NOT_FOUND');
  });

  it('answers 404 for an unknown or deleted message', async () => {
    const { a, id } = await pair();
    const m = await send(a, id);
    await f.as(a.token, 'delete', `/api/messages/${m.message_id}`);
    expectError(await f.as(a.token, 'patch', `/api/messages/${m.message_id}`).send({ content: 'back' }), 404, 'NOT_FOUND');
    expectError(await f.as(a.token, 'patch', '/api/messages/msg_00000000-0000-4000-8000-000000000000').send({ content: 'x' }), 404, 'NOT_FOUND');
  });

  it('keeps the send limits on content: 1 to 10000 characters', async () => {
    const { a, id } = await pair();
    const m = await send(a, id);
    expectError(await f.as(a.token, 'patch', `/api/messages/${m.message_id}`).send({ content: '' }), 400, 'INVALID_REQUEST');
    expectError(await f.as(a.token, 'patch', `/api/messages/${m.message_id}`).send({ content: 'x'.repeat(10001) }), 400, 'INVALID_REQUEST');
    expectError(await f.as(a.token, 'patch', `/api/messages/${m.message_id}`).send({}), 400, 'INVALID_REQUEST');
    expect((await f.as(a.token, 'patch', `/api/messages/${m.message_id}`).send({ content: 'x'.repeat(10000) })).status).toBe(200);
  });

  it('needs messages:write', async () => {
    const a = await f.actor();
    const reader = await scoped('messages:read', 'conversations:read');
    const id = await group(a, [reader]);
    const m = await send(a, id);
    expectError(await f.as(reader.token, 'patch', `/api/messages/${m.message_id}`).send({ content: 'x' }), 403, 'FORBIDDEN');
  });
});

describe('deleteMessage', () => {
  it('deletes my message: 204, gone from history and last_message, a second delete is 404', async () => {
    const { a, b, id } = await pair();
    const keep = await send(a, id, 'keep');
    const m = await send(a, id, 'oops');
    expect((await f.as(a.token, 'delete', `/api/messages/${m.message_id}`)).status).toBe(204);
    const conv = await f.as(b.token, 'get', `/api/conversations/${id}`);
    expect(conv.body.last_message.message_id).toBe(keep.message_id);
    expect(conv.body.unread_count).toBe(1);
    expectError(await f.as(a.token, 'delete', `/api/messages/${m.message_id}`), 404, 'NOT_FOUND');
  });

  it('forbids deleting someone else\'s message (403), also for the group\'s creator', async () => {
    const { a, b, id } = await pair();
    const m = await send(b, id, "b's");
    expectError(await f.as(a.token, 'delete', `/api/messages/${m.message_id}`), 403, 'FORBIDDEN');
    expect((await f.as(b.token, 'get', `/api/conversations/${id}/messages`)).body.messages).toHaveLength(1);
  });

  it('answers 404 for a message in a conversation I cannot see', async () => {
    const { a, id } = await pair();
    const outsider = await f.actor();
    const m = await send(a, id);
    expectError(await f.as(outsider.token, 'delete', `/api/messages/${m.message_id}`), 404, 'NOT_FOUND');
  });

  it('needs messages:write', async () => {
    const a = await f.actor();
    const reader = await scoped('messages:read', 'conversations:read');
    const id = await group(a, [reader]);
    const m = await send(a, id);
    expectError(await f.as(reader.token, 'delete', `/api/messages/${m.message_id}`), 403, 'FORBIDDEN');
  });
});
