// editMessage and deleteMessage: own messages only, visibility, limits, scope.
import { afterEach, describe, expect, it } from 'vitest';
import { chat, expectError } from './chat-helpers.ts';
import { setupFake } from './helpers.ts';

const f = setupFake();
const { group, send, scoped } = chat(f);
afterEach(() => expect(f.violations).toEqual([]));

async function pair() {
  const [a, b] = await Promise.all([f.actor(), f.actor()]);
  const id = await group(a, [b]);
  return { a, b, id };
}

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
