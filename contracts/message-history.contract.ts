// listMessages, editMessage, deleteMessage: history in both orders with pages that stay stable while
// messages arrive, own messages only for edits and deletions, deleted messages gone. All inferred.
import { describe, expect } from 'vitest';
import { bearer, contractActor, type Actor } from './lib/actors.ts';
import { call, useContractTarget } from './lib/call.ts';
import { expectError, expectStatus } from './lib/checks.ts';
import { contract } from './lib/contract.ts';
import { contents, getConversation, group, history, narrowed, OVERLONG_ID, send, sharedOutsider, tamper, UNKNOWN_CONVERSATION, UNKNOWN_MESSAGE, type MessagePage, type Msg } from './lib/chat.ts';

useContractTarget();
const outsider = sharedOutsider();

const page = async (who: Actor, id: string, query: Record<string, string | number> = {}) => expectStatus(await history(who, id, query), 200).body as MessagePage;
const edit = (who: Actor, messageId: string, content: string) => call('editMessage', { auth: bearer(who.token), path: { message_id: messageId }, body: { content } });
const remove = (who: Actor, messageId: string) => call('deleteMessage', { auth: bearer(who.token), path: { message_id: messageId } });

/** A group of one with messages m1..mn, sent oldest first. */
async function seeded(n: number) {
  const a = await contractActor();
  const id = await group(a);
  for (let i = 1; i <= n; i++) await send(a, id, `m${i}`);
  return { a, id };
}

describe('listMessages', () => {
  contract('inferred', 'newest first by default: no message skipped or repeated while messages are sent between page fetches; the last cursor is null', async () => {
    const { a, id } = await seeded(5);
    const seen: string[] = [];
    let res = await page(a, id, { limit: 2 });
    const firstCursor = res.cursor!;
    seen.push(...contents(res));
    for (let extra = 1; res.has_more && extra <= 5; extra++) {
      await send(a, id, `new${extra}`); // newer than the walk's start: on no later page
      res = await page(a, id, { limit: 2, cursor: res.cursor! });
      seen.push(...contents(res));
    }
    expect(seen).toEqual(['m5', 'm4', 'm3', 'm2', 'm1']);
    expect(res).toMatchObject({ has_more: false, cursor: null });
    expectError(await history(a, id, { cursor: tamper(firstCursor) }), 400, 'INVALID_REQUEST');
    expectError(await history(a, id, { order: 'asc', cursor: firstCursor }), 400, 'INVALID_REQUEST');
    expectError(await history(a, id, { order: 'sideways' }), 400, 'INVALID_REQUEST');
  });

  contract('inferred', 'oldest first (order=asc): nothing skipped or repeated while messages are sent; the last cursor keeps reading forward', async () => {
    const { a, id } = await seeded(4);
    const seen: string[] = [];
    let res = await page(a, id, { order: 'asc', limit: 2 });
    seen.push(...contents(res));
    for (let extra = 1; res.has_more && extra <= 5; extra++) {
      if (extra <= 2) await send(a, id, `new${extra}`);
      res = await page(a, id, { order: 'asc', limit: 2, cursor: res.cursor! });
      seen.push(...contents(res));
    }
    expect(seen).toEqual(['m1', 'm2', 'm3', 'm4', 'new1', 'new2']);
    expect(typeof res.cursor).toBe('string');
    const empty = await page(a, id, { order: 'asc', cursor: res.cursor! });
    expect(empty).toMatchObject({ messages: [], has_more: false });
    expect(typeof empty.cursor, 'a cursor also on an empty page').toBe('string');
    await send(a, id, 'later');
    expect(contents(await page(a, id, { order: 'asc', cursor: empty.cursor! }))).toEqual(['later']);
  });

  contract('inferred', 'a member who joins later sees the whole history; a non-member or unknown conversation is 404', async () => {
    const { a, id } = await seeded(2);
    const late = await contractActor();
    expectStatus(await call('addConversationMembers', { auth: bearer(a.token), path: { conversation_id: id }, body: { agent_id: late.agentId } }), 200);
    expect(contents(await page(late, id, { order: 'asc' }))).toEqual(['m1', 'm2']);
    expectError(await history(await outsider(), id), 404, 'NOT_FOUND');
    expectError(await history(a, UNKNOWN_CONVERSATION), 404, 'NOT_FOUND');
  });

  contract('inferred', 'auth required: no token is 401 for history, edit and delete', async () => {
    expectStatus(await call('listMessages', { path: { conversation_id: UNKNOWN_CONVERSATION } }), 401);
    expectStatus(await call('editMessage', { path: { message_id: UNKNOWN_MESSAGE }, body: { content: 'x' } }), 401);
    expectStatus(await call('deleteMessage', { path: { message_id: UNKNOWN_MESSAGE } }), 401);
  });

  contract('inferred', 'scope enforced: messages:read to read history, messages:write to edit or delete (403 FORBIDDEN, nothing changes)', async () => {
    const { a, id } = await seeded(1);
    const [m] = (await page(a, id)).messages;
    const readOnly = await narrowed(a, ['messages:read', 'conversations:read']);
    expectError(await edit(readOnly, m.message_id, 'changed'), 403, 'FORBIDDEN');
    expectError(await remove(readOnly, m.message_id), 403, 'FORBIDDEN');
    const writeOnly = await narrowed(a, ['messages:write', 'conversations:read']);
    expectError(await history(writeOnly, id), 403, 'FORBIDDEN');
    expect((await page(readOnly, id)).messages).toMatchObject([{ message_id: m.message_id, content: 'm1', edited_at: null }]);
  });
});

describe('editMessage', () => {
  contract('inferred', 'the sender replaces the content: 200 with edited_at set, and history shows the edit; empty content is 400', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const id = await group(a, [b]);
    const m = await send(a, id, 'draft');
    expect(m.edited_at ?? null, 'a new message is not edited').toBeNull();
    const edited = expectStatus(await edit(a, m.message_id, 'final'), 200).body as Msg;
    expect(edited).toMatchObject({ message_id: m.message_id, conversation_id: id, sender_id: a.agentId, content: 'final' });
    expect(edited.edited_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect((await page(b, id)).messages[0]).toMatchObject({ message_id: m.message_id, content: 'final', edited_at: edited.edited_at });
    expectError(await edit(a, m.message_id, ''), 400, 'INVALID_REQUEST');
  });

  contract('inferred', 'someone else\'s message is 403; a message the caller cannot see or an unknown one is 404', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const id = await group(a, [b]);
    const m = await send(a, id, 'mine');
    expectError(await edit(b, m.message_id, 'hijacked'), 403, 'FORBIDDEN');
    expectError(await edit(await outsider(), m.message_id, 'hijacked'), 404, 'NOT_FOUND');
    expectError(await edit(a, UNKNOWN_MESSAGE, 'x'), 404, 'NOT_FOUND');
    expect(contents(await page(a, id))).toEqual(['mine']);
  });
});

describe('deleteMessage', () => {
  contract('inferred', 'the sender deletes (204): gone from history, last_message and unread counts; deleting or editing it again is 404', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const id = await group(a, [b]);
    const keep = await send(a, id, 'keep');
    const m = await send(a, id, 'oops');
    expectStatus(await remove(a, m.message_id), 204);
    expect(contents(await page(b, id))).toEqual(['keep']);
    expect(await getConversation(b, id)).toMatchObject({ unread_count: 1, last_message: { message_id: keep.message_id } });
    expectError(await remove(a, m.message_id), 404, 'NOT_FOUND');
    expectError(await edit(a, m.message_id, 'back'), 404, 'NOT_FOUND');
  });

  contract('inferred', 'someone else\'s message is 403, also for the group\'s creator; a message the caller cannot see is 404, an over-long id 400', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const id = await group(a, [b]);
    const m = await send(b, id, "b's");
    expectError(await remove(a, m.message_id), 403, 'FORBIDDEN');
    expectError(await remove(await outsider(), m.message_id), 404, 'NOT_FOUND');
    expectError(await remove(a, OVERLONG_ID), 400, 'INVALID_REQUEST');
    expect(contents(await page(b, id))).toEqual(["b's"]);
  });
});
