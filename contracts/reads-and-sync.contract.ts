// markConversationRead, getUnreadCounts, syncInbox: read markers that only move forward, own and deleted
// messages never unread, and one feed across conversations that neither skips nor repeats while messages
// arrive, with edits and deletions re-surfacing. All inferred.
import { describe, expect } from 'vitest';
import { bearer, contractActor, type Actor } from './lib/actors.ts';
import { call, useContractTarget } from './lib/call.ts';
import { expectError, expectStatus } from './lib/checks.ts';
import { contract } from './lib/contract.ts';
import { dm, drain, getConversation, group, knownEvents, narrowed, send, sharedOutsider, summary, sync, tamper, UNKNOWN_CONVERSATION, UNKNOWN_MESSAGE, type SyncPage } from './lib/chat.ts';

useContractTarget();
const outsider = sharedOutsider();

interface ReadState { conversation_id: string; last_read_message_id: string | null; unread_count: number }
const unread = async (who: Actor) => expectStatus(await call('getUnreadCounts', { auth: bearer(who.token) }), 200).body as { total: number; conversations: ReadState[] };
const markRead = (who: Actor, id: string, body?: object) => call('markConversationRead', { auth: bearer(who.token), path: { conversation_id: id }, body });
const edit = async (who: Actor, messageId: string, content: string) =>
  expectStatus(await call('editMessage', { auth: bearer(who.token), path: { message_id: messageId }, body: { content } }), 200);

describe('getUnreadCounts', () => {
  contract('inferred', 'counts others\' messages after the read marker, never the caller\'s own, per conversation, most recent activity first', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const g = await group(a, [b]);
    await send(a, g, 'mine');
    await send(b, g, 'b1');
    await send(b, g, 'b2');
    const d = (await dm(b, a, 'dm')).conversation_id;
    // Known fields only: a server may add its own to the body and to each entry.
    expect(await unread(a)).toMatchObject({
      total: 3,
      conversations: [
        { conversation_id: d, unread_count: 1, last_read_message_id: null },
        { conversation_id: g, unread_count: 2, last_read_message_id: null },
      ],
    });
    expect(await unread(b)).toMatchObject({ total: 1, conversations: [{ conversation_id: g, unread_count: 1, last_read_message_id: null }] });
  });

  contract('inferred', 'deleted messages and messages sent before the caller joined do not count', async () => {
    const [a, b, late] = await Promise.all([contractActor(), contractActor(), contractActor()]);
    const g = await group(a, [b]);
    await send(b, g, 'before');
    const gone = await send(b, g, 'gone');
    expectStatus(await call('deleteMessage', { auth: bearer(b.token), path: { message_id: gone.message_id } }), 204);
    expect((await unread(a)).total).toBe(1);
    expectStatus(await call('addConversationMembers', { auth: bearer(a.token), path: { conversation_id: g }, body: { agent_id: late.agentId } }), 200);
    expect((await unread(late)).total).toBe(0);
    await send(b, g, 'after');
    expect((await unread(late)).total).toBe(1);
  });

  contract('inferred', 'auth required: no token is 401 for unread counts, read markers and the sync feed', async () => {
    expectStatus(await call('getUnreadCounts'), 401);
    expectStatus(await call('markConversationRead', { path: { conversation_id: UNKNOWN_CONVERSATION } }), 401);
    expectStatus(await call('syncInbox'), 401);
  });

  contract('inferred', 'scope enforced: messages:read for all three (403 FORBIDDEN); a read-only key may mark read', async () => {
    const a = await contractActor();
    const g = await group(a);
    const writeOnly = await narrowed(a, ['messages:write', 'conversations:read']);
    expectError(await call('getUnreadCounts', { auth: bearer(writeOnly.token) }), 403, 'FORBIDDEN');
    expectError(await markRead(writeOnly, g), 403, 'FORBIDDEN');
    expectError(await sync(writeOnly), 403, 'FORBIDDEN');
    const readOnly = await narrowed(a, ['messages:read']);
    expectStatus(await markRead(readOnly, g), 200);
    expectStatus(await call('getUnreadCounts', { auth: bearer(readOnly.token) }), 200);
  });
});

describe('markConversationRead', () => {
  contract('inferred', 'marks read up to a message, only forward; without a body up to the latest; a deleted message still marks its position', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const g = await group(a, [b]);
    const m1 = await send(b, g, '1');
    const m2 = await send(b, g, '2');
    const m3 = await send(b, g, '3');
    expect(expectStatus(await markRead(a, g, { message_id: m2.message_id }), 200).body).toMatchObject({ conversation_id: g, last_read_message_id: m2.message_id, unread_count: 1 });
    expect(expectStatus(await markRead(a, g, { message_id: m1.message_id }), 200).body, 'an older message changes nothing').toMatchObject({ last_read_message_id: m2.message_id, unread_count: 1 });
    expectStatus(await call('deleteMessage', { auth: bearer(b.token), path: { message_id: m3.message_id } }), 204);
    expect(expectStatus(await markRead(a, g, { message_id: m3.message_id }), 200).body).toMatchObject({ last_read_message_id: m3.message_id, unread_count: 0 });
    await send(b, g, '4');
    expect(expectStatus(await markRead(a, g), 200).body, 'no body: up to the latest').toMatchObject({ unread_count: 0 });
    expect(await unread(a)).toMatchObject({ total: 0, conversations: [] });
    expect((await getConversation(a, g)).unread_count).toBe(0);
  });

  contract('inferred', 'a message of another conversation or an unknown one is 404, a non-member 404, an empty message_id 400', async () => {
    const a = await contractActor();
    const g = await group(a);
    const elsewhere = await send(a, await group(a), 'elsewhere');
    expectError(await markRead(a, g, { message_id: elsewhere.message_id }), 404, 'NOT_FOUND');
    expectError(await markRead(a, g, { message_id: UNKNOWN_MESSAGE }), 404, 'NOT_FOUND');
    expectError(await markRead(await outsider(), g, {}), 404, 'NOT_FOUND');
    expectError(await markRead(a, g, { message_id: '' }), 400, 'INVALID_REQUEST');
  });
});

describe('syncInbox', () => {
  contract('inferred', 'one total order across the caller\'s conversations; a cursor on every page; edits and deletions re-surface once, as their latest state', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const g = await group(a, [b]);
    const one = await send(b, g, 'one');
    const d = (await dm(b, a, 'two')).conversation_id;
    const three = await send(a, g, 'three');
    const first = await drain(a);
    expect(first.events.map(summary)).toEqual([`conversation.joined:${g}`, 'message.created:one', `conversation.joined:${d}`, 'message.created:two', 'message.created:three']);
    expect(first.events[1]).toMatchObject({ conversation_id: g, message_id: one.message_id, message: { sender_id: b.agentId } });

    const empty = expectStatus(await sync(a, { cursor: first.cursor }), 200).body as SyncPage;
    expect(empty).toMatchObject({ has_more: false });
    expect(knownEvents(empty.events)).toEqual([]);
    expect(typeof empty.cursor, 'a cursor also on an empty page').toBe('string');
    await send(b, d, 'four');
    await edit(b, one.message_id, 'one, edited');
    expectStatus(await call('deleteMessage', { auth: bearer(a.token), path: { message_id: three.message_id } }), 204);
    const next = await drain(a, empty.cursor);
    expect(next.events.map(summary)).toEqual(['message.created:four', 'message.edited:one, edited', `message.deleted:${three.message_id}`]);
    expect(next.events[1].message?.edited_at).toBeTruthy();
    expect(next.events[2], 'a deletion carries no content').not.toHaveProperty('message');
    expect((await drain(await outsider())).events, 'nothing of others\' conversations').toEqual([]);
  });

  contract('inferred', 'no event skipped or repeated while messages are sent between page fetches; a forged or another agent\'s cursor is 400', async () => {
    const a = await contractActor();
    const g = await group(a);
    for (let i = 1; i <= 5; i++) await send(a, g, `m${i}`);
    const last = await send(a, g, 'm6');
    const seen: string[] = [];
    let res = expectStatus(await sync(a, { limit: 3 }), 200).body as SyncPage;
    const firstCursor = res.cursor;
    seen.push(...knownEvents(res.events).map(summary));
    for (let step = 1; res.has_more && step <= 6; step++) {
      if (step <= 2) await send(a, g, `new${step}`);
      if (step === 1) await edit(a, last.message_id, 'm6 edited'); // not yet served: shows once, edited, after new1
      res = expectStatus(await sync(a, { limit: 3, cursor: res.cursor }), 200).body as SyncPage;
      seen.push(...knownEvents(res.events).map(summary));
    }
    expect(seen).toEqual([
      `conversation.joined:${g}`, 'message.created:m1', 'message.created:m2', 'message.created:m3', 'message.created:m4', 'message.created:m5',
      'message.created:new1', 'message.edited:m6 edited', 'message.created:new2',
    ]);
    expectError(await sync(a, { cursor: tamper(firstCursor) }), 400, 'INVALID_REQUEST');
    expectError(await sync(await outsider(), { cursor: firstCursor }), 400, 'INVALID_REQUEST');
  });

  contract('inferred', 'a late joiner gets a joined event and the events from then on; a removed member\'s events stop after a left event', async () => {
    const [a, late] = await Promise.all([contractActor(), contractActor()]);
    const g = await group(a);
    const old = await send(a, g, 'old');
    expectStatus(await call('addConversationMembers', { auth: bearer(a.token), path: { conversation_id: g }, body: { agent_id: late.agentId } }), 200);
    await send(a, g, 'new');
    await edit(a, old.message_id, 'old, edited');
    const joined = await drain(late);
    expect(joined.events.map(summary)).toEqual([`conversation.joined:${g}`, 'message.created:new', 'message.edited:old, edited']);
    expectStatus(await call('removeConversationMember', { auth: bearer(a.token), path: { conversation_id: g, agent_id: late.agentId } }), 204);
    await send(a, g, 'after removal');
    expect((await drain(late, joined.cursor)).events.map(summary)).toEqual([`conversation.left:${g}`]);
  });
});
