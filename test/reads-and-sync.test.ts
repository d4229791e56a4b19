// markConversationRead, getUnreadCounts and the syncInbox feed: read markers, own messages, late
// joiners, edits and deletions re-surfacing, a total order stable under concurrent sends, cursors.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../contracts/lib/actors.ts';
import { chat, expectError, NO_CHAT_SCOPES } from './chat-helpers.ts';
import { fakePerFile } from './helpers.ts';

const f = fakePerFile();
const { group, send, dm, scoped } = chat(f);

const unread = async (who: Actor) => (await f.as(who.token, 'get', '/api/messages/unread')).body;
const markRead = (who: Actor, id: string, body?: object) => {
  const req = f.as(who.token, 'post', `/api/conversations/${id}/read`);
  return body === undefined ? req : req.send(body);
};
const sync = (who: Actor, cursor?: string, limit?: number) => {
  const q = new URLSearchParams();
  if (cursor) q.set('cursor', cursor);
  if (limit) q.set('limit', String(limit));
  return f.as(who.token, 'get', `/api/sync?${q}`);
};
/** Follows the feed to its end; returns events and the last cursor. */
async function drain(who: Actor, cursor?: string, limit = 100) {
  const events: any[] = [];
  for (;;) {
    const res = await sync(who, cursor, limit);
    expect(res.status).toBe(200);
    events.push(...res.body.events);
    cursor = res.body.cursor;
    if (!res.body.has_more) return { events, cursor: cursor! };
  }
}
const summary = (e: any) => `${e.type}:${e.message?.content ?? e.message_id ?? e.conversation_id}`;

describe('unread counts and markConversationRead', () => {
  it('counts others\' messages after my marker, never my own, across conversations', async () => {
    const [a, b] = await Promise.all([f.actor(), f.actor()]);
    const g = await group(a, [b]);
    await send(a, g, 'mine');
    await send(b, g, 'b1');
    await send(b, g, 'b2');
    const { conversation_id: d } = await dm(b, a, 'dm');
    const res = await unread(a);
    expect(res).toEqual({
      total: 3,
      conversations: [
        { conversation_id: d, unread_count: 1, last_read_message_id: null },
        { conversation_id: g, unread_count: 2, last_read_message_id: null },
      ],
    });
    expect(await unread(b)).toEqual({ total: 1, conversations: [{ conversation_id: g, unread_count: 1, last_read_message_id: null }] });
  });

  it('marks read up to a message, only forward; without a body up to the latest', async () => {
    const [a, b] = await Promise.all([f.actor(), f.actor()]);
    const g = await group(a, [b]);
    const m1 = await send(b, g, '1');
    const m2 = await send(b, g, '2');
    await send(b, g, '3');
    const res = await markRead(a, g, { message_id: m2.message_id });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ conversation_id: g, last_read_message_id: m2.message_id, unread_count: 1 });
    expect((await markRead(a, g, { message_id: m1.message_id })).body).toMatchObject({ last_read_message_id: m2.message_id, unread_count: 1 });
    expect((await markRead(a, g)).body).toMatchObject({ unread_count: 0 });
    expect(await unread(a)).toEqual({ total: 0, conversations: [] });
    expect((await f.as(a.token, 'get', `/api/conversations/${g}`)).body.unread_count).toBe(0);
  });

  it('does not count deleted messages, nor messages sent before I joined', async () => {
    const [a, b, late] = await Promise.all([f.actor(), f.actor(), f.actor()]);
    const g = await group(a, [b]);
    await send(b, g, 'before');
    const gone = await send(b, g, 'gone');
    await f.as(b.token, 'delete', `/api/messages/${gone.message_id}`);
    expect((await unread(a)).total).toBe(1);
    // A deleted message still marks its position (clients may race a deletion).
    expect((await markRead(a, g, { message_id: gone.message_id })).body).toMatchObject({ unread_count: 0, last_read_message_id: gone.message_id });
    await f.as(a.token, 'post', `/api/conversations/${g}/members`).send({ agent_id: late.agentId });
    expect((await unread(late)).total).toBe(0);
    await send(b, g, 'after');
    expect((await unread(late)).total).toBe(1);
  });

  it('answers 404 for a message of another conversation or an unknown one, and to a non-member', async () => {
    const [a, b, outsider] = await Promise.all([f.actor(), f.actor(), f.actor()]);
    const g = await group(a, [b]);
    const other = await group(a, [b]);
    const elsewhere = await send(b, other);
    expectError(await markRead(a, g, { message_id: elsewhere.message_id }), 404, 'NOT_FOUND');
    expectError(await markRead(a, g, { message_id: 'msg_00000000-0000-4000-8000-000000000000' }), 404, 'NOT_FOUND');
    expectError(await markRead(outsider, g, {}), 404, 'NOT_FOUND');
    expectError(await markRead(a, g, { message_id: '' }), 400, 'INVALID_REQUEST');
  });

  it('needs messages:read (a read-only key may mark read)', async () => {
    const a = await f.actor();
    const [reader, none] = await Promise.all([scoped('messages:read'), scoped(...NO_CHAT_SCOPES)]);
    const g = await group(a, [reader, none]);
    await send(a, g);
    expect((await markRead(reader, g)).status).toBe(200);
    expect((await f.as(reader.token, 'get', '/api/messages/unread')).status).toBe(200);
    expectError(await markRead(none, g), 403, 'FORBIDDEN');
    expectError(await f.as(none.token, 'get', '/api/messages/unread'), 403, 'FORBIDDEN');
  });
});

describe('syncInbox', () => {
  it('feeds my conversations\' messages in one total order, and always returns a cursor to keep polling', async () => {
    const [a, b, outsider] = await Promise.all([f.actor(), f.actor(), f.actor()]);
    const g = await group(a, [b]);
    await send(b, g, 'one');
    const { conversation_id: d } = await dm(b, a, 'two');
    await send(a, g, 'three');
    await group(outsider, [], 'elsewhere');
    const first = await drain(a);
    expect(first.events.map(summary)).toEqual([
      `conversation.joined:${g}`, 'message.created:one', `conversation.joined:${d}`, 'message.created:two', 'message.created:three',
    ]);
    expect(first.events[1]).toMatchObject({ conversation_id: g, message: { sender_id: b.agentId } });

    const empty = await sync(a, first.cursor);
    expect(empty.body).toMatchObject({ events: [], has_more: false });
    expect(typeof empty.body.cursor).toBe('string');
    await send(b, d, 'four');
    expect((await drain(a, empty.body.cursor)).events.map(summary)).toEqual(['message.created:four']);
  });

  it('re-surfaces edited and deleted messages after the cursor, once, as their latest state', async () => {
    const [a, b] = await Promise.all([f.actor(), f.actor()]);
    const g = await group(a, [b]);
    const m1 = await send(b, g, 'first');
    const m2 = await send(b, g, 'second');
    const { cursor } = await drain(a);
    await f.as(b.token, 'patch', `/api/messages/${m1.message_id}`).send({ content: 'first, edited' });
    await f.as(b.token, 'delete', `/api/messages/${m2.message_id}`);
    const { events } = await drain(a, cursor);
    expect(events.map(summary)).toEqual(['message.edited:first, edited', `message.deleted:${m2.message_id}`]);
    expect(events[1]).not.toHaveProperty('message');
    expect(events[0].message.edited_at).toBeTruthy();
  });

  it('does not skip or repeat an event while messages are sent between page fetches', async () => {
    const [a, b] = await Promise.all([f.actor(), f.actor()]);
    const g1 = await group(a, [b]);
    const g2 = await group(b, [a]);
    for (let i = 1; i <= 6; i++) await send(b, i % 2 ? g1 : g2, `m${i}`);
    const edited = await send(b, g1, 'm7');
    const seen: string[] = [];
    let res = await sync(a, undefined, 3);
    seen.push(...res.body.events.map(summary));
    let step = 0;
    while (res.body.has_more) {
      step++;
      if (step <= 3) await send(a, step % 2 ? g2 : g1, `new${step}`);
      if (step === 1) await f.as(b.token, 'patch', `/api/messages/${edited.message_id}`).send({ content: 'm7 edited' });
      res = await sync(a, res.body.cursor, 3);
      seen.push(...res.body.events.map(summary));
    }
    expect(seen).toEqual([
      `conversation.joined:${g1}`, `conversation.joined:${g2}`,
      'message.created:m1', 'message.created:m2', 'message.created:m3', 'message.created:m4', 'message.created:m5', 'message.created:m6',
      'message.created:new1', 'message.edited:m7 edited', 'message.created:new2', 'message.created:new3',
    ]);
  });

  it('gives a late joiner a joined event and the events from then on, not the older messages', async () => {
    const [a, late] = await Promise.all([f.actor(), f.actor()]);
    const g = await group(a);
    const old = await send(a, g, 'old');
    await send(a, g, 'older news');
    await f.as(a.token, 'post', `/api/conversations/${g}/members`).send({ agent_id: late.agentId });
    await send(a, g, 'new');
    await f.as(a.token, 'patch', `/api/messages/${old.message_id}`).send({ content: 'old, edited' });
    expect((await drain(late)).events.map(summary)).toEqual([`conversation.joined:${g}`, 'message.created:new', 'message.edited:old, edited']);
  });

  it('stops a conversation\'s events after a left event when I leave or am removed', async () => {
    const [a, b] = await Promise.all([f.actor(), f.actor()]);
    const g = await group(a, [b]);
    await send(a, g, 'hello');
    const { cursor } = await drain(b);
    await f.as(a.token, 'delete', `/api/conversations/${g}/members/${b.agentId}`);
    await send(a, g, 'after removal');
    const { events, cursor: next } = await drain(b, cursor);
    expect(events.map(summary)).toEqual([`conversation.left:${g}`]);
    await send(a, g, 'still removed');
    expect((await drain(b, next)).events).toEqual([]);
  });

  it('never shows a non-member another conversation\'s events', async () => {
    const [a, b, outsider] = await Promise.all([f.actor(), f.actor(), f.actor()]);
    const g = await group(a, [b]);
    await send(a, g, 'private');
    await dm(a, b, 'private dm');
    expect((await drain(outsider)).events).toEqual([]);
  });

  it('rejects a forged cursor and another agent\'s cursor (400)', async () => {
    const [a, b] = await Promise.all([f.actor(), f.actor()]);
    const { cursor } = await drain(a);
    expectError(await sync(a, `${cursor}Q`), 400, 'INVALID_REQUEST');
    const forged = `${Buffer.from(JSON.stringify({ after: 0 })).toString('base64url')}.${cursor.split('.')[1]}`;
    expectError(await sync(a, forged), 400, 'INVALID_REQUEST');
    expectError(await sync(b, cursor), 400, 'INVALID_REQUEST');
  });

  it('needs messages:read', async () => {
    const [none, reader] = await Promise.all([scoped('messages:write', 'conversations:read'), scoped('messages:read')]);
    expectError(await sync(none), 403, 'FORBIDDEN');
    expect((await sync(reader)).status).toBe(200);
    expect((await f.req('get', '/api/sync')).status).toBe(401);
  });
});
