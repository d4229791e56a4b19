// listConversations, getConversation, updateConversation, addConversationMembers,
// removeConversationMember, leaveConversation: order and paging of the list, per-caller fields, who may
// change what, direct conversations keeping their pair, visibility after leaving. All inferred.
import { describe, expect } from 'vitest';
import { bearer, contractActor, type Actor } from './lib/actors.ts';
import { call, useContractTarget } from './lib/call.ts';
import { expectError, expectStatus } from './lib/checks.ts';
import { contract } from './lib/contract.ts';
import { asSet, dm, getConversation, group, history, narrowed, OVERLONG_ID, send, sharedOutsider, tamper, UNKNOWN_AGENT, UNKNOWN_CONVERSATION, type Conv } from './lib/chat.ts';

useContractTarget();
const outsider = sharedOutsider();

interface ConvPage { conversations: Conv[]; next_cursor: string | null; has_more: boolean }
const list = async (who: Actor, query: Record<string, string | number> = {}) =>
  expectStatus(await call('listConversations', { auth: bearer(who.token), query }), 200).body as ConvPage;
const ids = (page: ConvPage) => page.conversations.map((c) => c.conversation_id);
const conv = (id: string) => ({ conversation_id: id });
const addMembers = (who: Actor, id: string, body: object) => call('addConversationMembers', { auth: bearer(who.token), path: conv(id), body });
const remove = (who: Actor, id: string, agentId: string) => call('removeConversationMember', { auth: bearer(who.token), path: { ...conv(id), agent_id: agentId } });
const leave = (who: Actor, id: string) => call('leaveConversation', { auth: bearer(who.token), path: conv(id) });

describe('listConversations', () => {
  contract('inferred', 'lists only the caller\'s conversations, most recent activity first, each with unread_count and last_message', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const first = await group(a, [b], 'first');
    const second = await group(a, [], 'second');
    const direct = (await dm(b, a, 'from b')).conversation_id;
    const last = await send(b, first, 'latest in first');
    const page = await list(a);
    expect(ids(page)).toEqual([first, direct, second]);
    expect(page).toMatchObject({ has_more: false, next_cursor: null });
    const [c1, cd, c2] = page.conversations;
    expect(c1).toMatchObject({ unread_count: 1, last_message: { message_id: last.message_id, content: 'latest in first' } });
    expect(cd).toMatchObject({ type: 'direct', unread_count: 1 });
    expect(c2).toMatchObject({ unread_count: 0, last_message: null });
    expect(ids(await list(b)), 'b is not a member of "second"').toEqual([first, direct]);
  });

  contract('inferred', 'limit and next_cursor never repeat a conversation when activity moves one while paging; a forged cursor or a limit over 100 is 400', async () => {
    const a = await contractActor();
    const g: string[] = [];
    for (let i = 0; i < 4; i++) g.push(await group(a, [], `g${i}`));
    const page1 = await list(a, { limit: 2 });
    expect(ids(page1)).toEqual([g[3], g[2]]);
    expect(page1.has_more).toBe(true);
    await send(a, g[2], 'already served: must not come back');
    await send(a, g[0], 'not yet served: moves to the head');
    const page2 = await list(a, { limit: 2, cursor: page1.next_cursor! });
    expect(ids(page2)).toEqual([g[1]]);
    expect(page2).toMatchObject({ has_more: false, next_cursor: null });
    expect(ids(await list(a, { limit: 2 })), 'a fresh first page').toEqual([g[0], g[2]]);
    expectError(await call('listConversations', { auth: bearer(a.token), query: { cursor: tamper(page1.next_cursor!) } }), 400, 'INVALID_REQUEST');
    expectError(await call('listConversations', { auth: bearer(a.token), query: { limit: 101 } }), 400, 'INVALID_REQUEST');
  });

  contract('inferred', 'auth required on every conversation-management operation: no token is 401', async () => {
    expectStatus(await call('listConversations'), 401);
    expectStatus(await call('listConversations', { auth: 'Bearer not-a-jwt' }), 401);
    expectStatus(await call('getConversation', { path: conv(UNKNOWN_CONVERSATION) }), 401);
    expectStatus(await call('updateConversation', { path: conv(UNKNOWN_CONVERSATION), body: { name: 'x' } }), 401);
    expectStatus(await call('addConversationMembers', { path: conv(UNKNOWN_CONVERSATION), body: { agent_id: UNKNOWN_AGENT } }), 401);
    expectStatus(await call('removeConversationMember', { path: { ...conv(UNKNOWN_CONVERSATION), agent_id: UNKNOWN_AGENT } }), 401);
    expectStatus(await call('leaveConversation', { path: conv(UNKNOWN_CONVERSATION) }), 401);
  });

  contract('inferred', 'scope enforced: conversations:read to read, messages:write to change (403 FORBIDDEN, nothing changes)', async () => {
    const [a, c] = await Promise.all([contractActor(), contractActor()]);
    const id = await group(a, [], 'unchanged');
    const noWrite = await narrowed(a, ['messages:read', 'conversations:read']);
    expectError(await call('updateConversation', { auth: bearer(noWrite.token), path: conv(id), body: { name: 'renamed' } }), 403, 'FORBIDDEN');
    expectError(await addMembers(noWrite, id, { agent_id: c.agentId }), 403, 'FORBIDDEN');
    expectError(await remove(noWrite, id, a.agentId), 403, 'FORBIDDEN');
    expectError(await leave(noWrite, id), 403, 'FORBIDDEN');
    const noConvRead = await narrowed(a, ['messages:read', 'messages:write']);
    expectError(await call('listConversations', { auth: bearer(noConvRead.token) }), 403, 'FORBIDDEN');
    expectError(await call('getConversation', { auth: bearer(noConvRead.token), path: conv(id) }), 403, 'FORBIDDEN');
    const unchanged = await getConversation(noWrite, id);
    expect(unchanged).toMatchObject({ name: 'unchanged' });
    expect(asSet(unchanged.members)).toEqual(asSet([a.agentId]));
  });
});

describe('getConversation', () => {
  contract('inferred', 'a member sees the conversation with its own unread_count and last_message; a non-member or unknown id is 404, an over-long id 400', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const id = await group(a, [b], 'Project Team');
    const m = await send(a, id, 'hi');
    const seen = await getConversation(b, id);
    expect(seen).toMatchObject({ conversation_id: id, type: 'group', name: 'Project Team', unread_count: 1, last_message: { message_id: m.message_id } });
    expect(asSet(seen.members)).toEqual(asSet([a.agentId, b.agentId]));
    expect((await getConversation(a, id)).unread_count, 'own messages are never unread').toBe(0);
    expectError(await call('getConversation', { auth: bearer((await outsider()).token), path: conv(id) }), 404, 'NOT_FOUND');
    expectError(await call('getConversation', { auth: bearer(a.token), path: conv(UNKNOWN_CONVERSATION) }), 404, 'NOT_FOUND');
    expectError(await call('getConversation', { auth: bearer(a.token), path: conv(OVERLONG_ID) }), 400, 'INVALID_REQUEST');
  });
});

describe('updateConversation', () => {
  contract('inferred', 'any member renames a group and null clears the name; a bad body is 400, a non-member 404', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const id = await group(a, [b], 'old');
    const renamed = expectStatus(await call('updateConversation', { auth: bearer(b.token), path: conv(id), body: { name: 'new' } }), 200);
    expect(renamed.body).toMatchObject({ conversation_id: id, name: 'new' });
    expect(asSet((renamed.body as Conv).members)).toEqual(asSet([a.agentId, b.agentId]));
    expect((await getConversation(a, id)).name).toBe('new');
    expect((expectStatus(await call('updateConversation', { auth: bearer(a.token), path: conv(id), body: { name: null } }), 200).body as Conv).name).toBeNull();
    expectError(await call('updateConversation', { auth: bearer(a.token), path: conv(id), body: {} }), 400, 'INVALID_REQUEST');
    expectError(await call('updateConversation', { auth: bearer((await outsider()).token), path: conv(id), body: { name: 'mine' } }), 404, 'NOT_FOUND');
  });
});

describe('addConversationMembers', () => {
  contract('inferred', 'adds one (agent_id) or several (agent_ids); any member may add; a new member sees the whole history', async () => {
    const [a, b, c, d] = await Promise.all([contractActor(), contractActor(), contractActor(), contractActor()]);
    const id = await group(a);
    await send(a, id, 'before anyone joined');
    expect(asSet((expectStatus(await addMembers(a, id, { agent_id: b.agentId }), 200).body as Conv).members)).toEqual(asSet([a.agentId, b.agentId]));
    const many = expectStatus(await addMembers(b, id, { agent_ids: [c.agentId, d.agentId] }), 200);
    expect(asSet((many.body as Conv).members)).toEqual(asSet([a.agentId, b.agentId, c.agentId, d.agentId]));
    const seen = expectStatus(await history(d, id, { order: 'asc' }), 200).body as { messages: { content: string }[] };
    expect(seen.messages.map((m) => m.content)).toEqual(['before anyone joined']);
  });

  contract('inferred', 'all or nothing: an unknown agent is 404, a member 409, one who blocked the caller 403, a bad body 400, a non-member caller 404', async () => {
    const [a, b, c] = await Promise.all([contractActor(), contractActor(), contractActor()]);
    const id = await group(a, [b]);
    expectError(await addMembers(a, id, { agent_ids: [c.agentId, UNKNOWN_AGENT] }), 404, 'NOT_FOUND');
    expectError(await addMembers(a, id, { agent_ids: [c.agentId, b.agentId] }), 409, 'CONFLICT');
    expectError(await addMembers(a, id, { agent_id: a.agentId }), 409, 'CONFLICT');
    expectError(await addMembers(a, id, { agent_id: c.agentId, agent_ids: [c.agentId] }), 400, 'INVALID_REQUEST');
    expectError(await addMembers(c, id, { agent_id: c.agentId }), 404, 'NOT_FOUND');
    expectStatus(await call('createBlock', { auth: bearer(c.token), body: { target_id: a.agentId } }), 201, 200);
    expectError(await addMembers(a, id, { agent_id: c.agentId }), 403, 'FORBIDDEN');
    expect(asSet((await getConversation(a, id)).members), 'nobody was added').toEqual(asSet([a.agentId, b.agentId]));
  });

  contract('inferred', 'a direct conversation keeps its two members: rename, add, remove and leave are 403', async () => {
    const [a, b, c] = await Promise.all([contractActor(), contractActor(), contractActor()]);
    const id = (await dm(a, b, 'just us')).conversation_id;
    expectError(await call('updateConversation', { auth: bearer(a.token), path: conv(id), body: { name: 'pair' } }), 403, 'FORBIDDEN');
    expectError(await addMembers(a, id, { agent_id: c.agentId }), 403, 'FORBIDDEN');
    expectError(await remove(a, id, b.agentId), 403, 'FORBIDDEN');
    expectError(await leave(b, id), 403, 'FORBIDDEN');
    expect((await getConversation(b, id)).members).toHaveLength(2);
  });
});

describe('removeConversationMember', () => {
  contract('inferred', 'the creator removes a member, who then no longer sees the conversation, its history or it in the list', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const id = await group(a, [b]);
    await send(a, id, 'before removal');
    expectStatus(await remove(a, id, b.agentId), 204);
    expect(asSet((await getConversation(a, id)).members)).toEqual(asSet([a.agentId]));
    expectError(await call('getConversation', { auth: bearer(b.token), path: conv(id) }), 404, 'NOT_FOUND');
    expectError(await history(b, id), 404, 'NOT_FOUND');
    expect(ids(await list(b))).not.toContain(id);
  });

  contract('inferred', 'only the creator removes others (403), anyone removes themselves; a non-member agent or caller is 404, an over-long agent id 400', async () => {
    const [a, b, c] = await Promise.all([contractActor(), contractActor(), contractActor()]);
    const id = await group(a, [b, c]);
    expectError(await remove(b, id, c.agentId), 403, 'FORBIDDEN');
    expectStatus(await remove(b, id, b.agentId), 204);
    expectError(await remove(a, id, b.agentId), 404, 'NOT_FOUND');
    expectError(await remove(b, id, c.agentId), 404, 'NOT_FOUND');
    expectError(await remove(a, id, OVERLONG_ID), 400, 'INVALID_REQUEST');
    expect(asSet((await getConversation(a, id)).members)).toEqual(asSet([a.agentId, c.agentId]));
  });
});

describe('leaveConversation', () => {
  contract('inferred', 'a member leaves (204) and no longer sees it, leaving again is 404; after the creator left nobody removes others; an over-long id is 400', async () => {
    const [a, b, c] = await Promise.all([contractActor(), contractActor(), contractActor()]);
    const id = await group(a, [b, c]);
    expectStatus(await leave(a, id), 204);
    expectError(await call('getConversation', { auth: bearer(a.token), path: conv(id) }), 404, 'NOT_FOUND');
    expectError(await leave(a, id), 404, 'NOT_FOUND');
    expectError(await remove(b, id, c.agentId), 403, 'FORBIDDEN');
    expectStatus(await leave(c, id), 204);
    expect(asSet((await getConversation(b, id)).members)).toEqual(asSet([b.agentId]));
    expectError(await leave(b, OVERLONG_ID), 400, 'INVALID_REQUEST');
  });
});
