// Inferred Agents operations of the account: API key revoke and account deletion ("gone after delete"),
// and who may do them; the audit log: which account events are recorded, in what order, with which
// times, without secrets, for whom, and how it pages.
import { describe, expect, it } from 'vitest';
import { basic, createKey, exchange, register } from '../contracts/lib/actors.ts';
import { fakePerTest } from './helpers.ts';

const ctx = fakePerTest();

const keyPath = (agentId: string, keyId: string) => `/api/agents/${agentId}/keys/${keyId}`;
const logPath = (agentId: string) => `/api/agents/${agentId}/audit-log`;
const whoami = (token: string) => ctx.as(token, 'get', '/api/auth/whoami');
const tokenStatus = (agentId: string, apiKey: string) =>
  ctx.req('post', '/api/auth/token').set('Authorization', basic(agentId, apiKey)).send({ grant_type: 'client_credentials' }).then((r) => r.status);

describe('revokeApiKey', () => {
  it('with the Bearer of the same agent: tokens of the key die, the key cannot get tokens, the list shows revoked_at', async () => {
    const a = await ctx.actor();
    const other = await createKey(ctx.req, a.agentId, a.recoveryKey);
    const { token: otherToken } = await exchange(ctx.req, a.agentId, other.apiKey);
    const res = await ctx.as(otherToken, 'delete', keyPath(a.agentId, a.keyId));
    expect(res.status).toBe(204);
    expect((await whoami(a.token)).status).toBe(401);
    expect(await tokenStatus(a.agentId, a.apiKey)).toBe(401);
    expect((await whoami(otherToken)).status).toBe(200); // other keys are untouched
    const list = await ctx.as(otherToken, 'get', `/api/agents/${a.agentId}`);
    const revoked = list.body.keys.find((k: { key_id: string }) => k.key_id === a.keyId);
    expect(revoked.revoked_at).toMatch(/Z$/);
    expect(list.body.keys.find((k: { key_id: string }) => k.key_id === other.keyId).revoked_at).toBeNull();
  });

  it('with the Basic recovery key', async () => {
    const a = await ctx.actor();
    const res = await ctx.req('delete', keyPath(a.agentId, a.keyId)).set('Authorization', basic(a.agentId, a.recoveryKey));
    expect(res.status).toBe(204);
    expect(await tokenStatus(a.agentId, a.apiKey)).toBe(401);
  });

  it('is idempotent: a second revoke is 204 and keeps the first revoked_at', async () => {
    const a = await ctx.actor();
    const auth = basic(a.agentId, a.recoveryKey);
    await ctx.req('delete', keyPath(a.agentId, a.keyId)).set('Authorization', auth);
    const first = ctx.fake.state().stores.agents.key(a.keyId)!.revoked_at;
    ctx.fake.state().clock.advance(5000);
    expect((await ctx.req('delete', keyPath(a.agentId, a.keyId)).set('Authorization', auth)).status).toBe(204);
    expect(ctx.fake.state().stores.agents.key(a.keyId)!.revoked_at).toBe(first);
  });

  it("refuses another agent's keys: 403 for its path, 404 for its key under one's own path", async () => {
    const a = await ctx.actor();
    const b = await ctx.actor();
    const forbidden = await ctx.as(a.token, 'delete', keyPath(b.agentId, b.keyId));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');
    const byRecovery = await ctx.req('delete', keyPath(b.agentId, b.keyId)).set('Authorization', basic(a.agentId, a.recoveryKey));
    expect(byRecovery.status).toBe(403);
    const hidden = await ctx.as(a.token, 'delete', keyPath(a.agentId, b.keyId));
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('NOT_FOUND');
    expect((await whoami(b.token)).status).toBe(200);
  });

  it('answers 404 for an unknown key, 400 INVALID_AGENT_ID for a malformed agent id, 401 without or with API-key credentials', async () => {
    const a = await ctx.actor();
    expect((await ctx.as(a.token, 'delete', keyPath(a.agentId, 'aky_000000000000000000000000'))).status).toBe(404);
    const malformed = await ctx.as(a.token, 'delete', keyPath('agt_nope', a.keyId));
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('INVALID_AGENT_ID');
    expect((await ctx.req('delete', keyPath(a.agentId, a.keyId))).status).toBe(401);
    expect((await ctx.req('delete', keyPath(a.agentId, a.keyId)).set('Authorization', basic(a.agentId, a.apiKey))).status).toBe(401);
  });

  it("keeps another agent's key list refused (403)", async () => {
    const a = await ctx.actor();
    const b = await ctx.actor();
    expect((await ctx.as(a.token, 'get', `/api/agents/${b.agentId}`)).status).toBe(403);
  });
});

describe('deleteAgent', () => {
  const del = (agentId: string, secret: string) => ctx.req('delete', `/api/agents/${agentId}`).set('Authorization', basic(agentId, secret));

  it('kills every credential: recovery key, API keys and tokens are 401 afterwards', async () => {
    const a = await ctx.actor();
    const second = await createKey(ctx.req, a.agentId, a.recoveryKey);
    const { token: secondToken } = await exchange(ctx.req, a.agentId, second.apiKey);
    expect((await del(a.agentId, a.recoveryKey)).status).toBe(204);
    const createKeyAgain = await ctx.req('post', `/api/agents/${a.agentId}`).set('Authorization', basic(a.agentId, a.recoveryKey)).send({ name: 'again' });
    expect(createKeyAgain.status).toBe(401);
    expect((await del(a.agentId, a.recoveryKey)).status).toBe(401);
    expect(await tokenStatus(a.agentId, a.apiKey)).toBe(401);
    expect(await tokenStatus(a.agentId, second.apiKey)).toBe(401);
    for (const token of [a.token, secondToken]) {
      expect((await whoami(token)).status).toBe(401);
      expect((await ctx.as(token, 'post', '/api/auth/token/refresh')).status).toBe(401);
      expect((await ctx.as(token, 'get', `/api/agents/${a.agentId}/audit-log`)).status).toBe(401);
    }
    expect([...ctx.fake.state().stores.agents.keysOf(a.agentId)].every((k) => k.revoked_at)).toBe(true);
  });

  it('leaves group conversations; the messages stay with their sender_id and remaining members carry on', async () => {
    const a = await ctx.actor();
    const b = await ctx.actor();
    const c = await ctx.actor();
    const conv = await ctx.as(a.token, 'post', '/api/conversations').send({ type: 'group', name: 'team', members: [b.agentId, c.agentId] });
    const msg = await ctx.as(a.token, 'post', '/api/messages').send({ conversation_id: conv.body.conversation_id, content: 'before I go' });
    expect((await del(a.agentId, a.recoveryKey)).status).toBe(204);
    const record = ctx.fake.state().stores.conversations.get(conv.body.conversation_id)!;
    expect(record.members).toEqual([b.agentId, c.agentId]);
    const stored = ctx.fake.state().stores.messages.inConversation(conv.body.conversation_id);
    expect(stored.map((m) => [m.message_id, m.sender_id])).toEqual([[msg.body.message_id, a.agentId]]);
    // Over HTTP: the old message is still there to reply to, and the group still works for the others.
    const reply = await ctx.as(b.token, 'post', '/api/messages').send({ conversation_id: conv.body.conversation_id, content: 'bye', in_reply_to: msg.body.message_id });
    expect(reply.status).toBe(201);
  });

  it('keeps direct conversations for their history but refuses new messages into them', async () => {
    const a = await ctx.actor();
    const b = await ctx.actor();
    const dm = await ctx.as(b.token, 'post', '/api/messages').send({ recipient_agent_id: a.agentId, content: 'hi' });
    await del(a.agentId, a.recoveryKey);
    expect(ctx.fake.state().stores.conversations.get(dm.body.conversation_id)!.members.sort()).toEqual([a.agentId, b.agentId].sort());
    const into = await ctx.as(b.token, 'post', '/api/messages').send({ conversation_id: dm.body.conversation_id, content: 'are you there?' });
    expect(into.status).toBe(403);
    expect(into.body.error.message).toContain('deleted');
    const shortcut = await ctx.as(b.token, 'post', '/api/messages').send({ recipient_agent_id: a.agentId, content: 'hello?' });
    expect(shortcut.status).toBe(404);
  });

  it("removes the deleted agent's blocks and records account.deleted", async () => {
    const a = await ctx.actor();
    const b = await ctx.actor();
    expect((await ctx.as(a.token, 'post', '/api/blocks').send({ target_id: b.agentId })).status).toBe(201);
    await del(a.agentId, a.recoveryKey);
    expect(ctx.fake.state().stores.blocks.ownedBy(a.agentId)).toEqual([]);
    expect(ctx.fake.state().stores.audit.of(a.agentId).at(-1)!.type).toBe('account.deleted');
  });

  it('hides the profile (404) and the directory entry', async () => {
    const a = await ctx.actor();
    await del(a.agentId, a.recoveryKey);
    expect((await ctx.req('get', `/api/agents/${a.agentId}/profile`)).status).toBe(404);
    const dir = await ctx.req('get', '/api/directory').query({ limit: 100 });
    expect(dir.body.agents.map((p: { agent_id: string }) => p.agent_id)).not.toContain(a.agentId);
  });

  it("refuses another agent's recovery key (403), a wrong one or a Bearer token (401), a malformed id (400)", async () => {
    const a = await ctx.actor();
    const b = await ctx.actor();
    const other = await ctx.req('delete', `/api/agents/${b.agentId}`).set('Authorization', basic(a.agentId, a.recoveryKey));
    expect(other.status).toBe(403);
    expect((await del(a.agentId, 'rk_wrongwrongwrongwr')).status).toBe(401);
    const bearer = await ctx.as(a.token, 'delete', `/api/agents/${a.agentId}`);
    expect(bearer.status).toBe(401);
    expect(bearer.headers['www-authenticate']).toMatch(/^Basic/);
    expect((await ctx.req('delete', '/api/agents/agt_x').set('Authorization', basic(a.agentId, a.recoveryKey))).body.error.code).toBe('INVALID_AGENT_ID');
    expect((await whoami(a.token)).status).toBe(200);
    expect((await whoami(b.token)).status).toBe(200);
  });
});

describe('listAuditLog', () => {
  it('records the account events in order, at the fake clock\'s times, without any secret', async () => {
    ctx.restart({ clockStart: new Date('2026-04-03T20:00:00Z') });
    const clock = ctx.fake.state().clock;
    const step = () => clock.advance(1000);
    const reg = await register(ctx.req, { email: 'log@example.com' });
    step();
    const key = await createKey(ctx.req, reg.agentId, reg.recoveryKey, ['messages:read', 'presence:update']);
    step();
    const { token } = await exchange(ctx.req, reg.agentId, key.apiKey);
    step();
    await ctx.req('post', '/api/auth/email/resend').set('Authorization', basic(reg.agentId, reg.recoveryKey));
    const code = ctx.fake.state().stores.outbox.list().at(-1)!.code;
    step();
    await ctx.as(token, 'post', '/api/auth/email/verify').send({ code });
    step();
    const refreshed = (await ctx.as(token, 'post', '/api/auth/token/refresh')).body.access_token;
    step();
    await ctx.as(refreshed, 'patch', `/api/agents/${reg.agentId}/profile`).send({ intro: 'hi', status: 'active' });
    step();
    const second = await createKey(ctx.req, reg.agentId, reg.recoveryKey);
    const { token: reader } = await exchange(ctx.req, reg.agentId, second.apiKey);
    step();
    await ctx.as(refreshed, 'post', '/api/auth/token/revoke');
    await ctx.req('delete', `/api/agents/${reg.agentId}/keys/${key.keyId}`).set('Authorization', basic(reg.agentId, reg.recoveryKey));

    const res = await ctx.as(reader, 'get', logPath(reg.agentId));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ agent_id: reg.agentId, next_cursor: null, has_more: false });
    const events = res.body.events.map((e: { type: string; created_at: string; key_id: string | null }) => [e.type, e.created_at, e.key_id]);
    expect(events).toEqual([
      ['agent.registered', '2026-04-03T20:00:00Z', null],
      ['key.created', '2026-04-03T20:00:01Z', key.keyId],
      ['token.issued', '2026-04-03T20:00:02Z', key.keyId],
      ['email.resent', '2026-04-03T20:00:03Z', null],
      ['email.verified', '2026-04-03T20:00:04Z', key.keyId],
      ['token.refreshed', '2026-04-03T20:00:05Z', key.keyId],
      ['profile.updated', '2026-04-03T20:00:06Z', key.keyId],
      ['key.created', '2026-04-03T20:00:07Z', second.keyId],
      ['token.issued', '2026-04-03T20:00:07Z', second.keyId],
      ['token.revoked', '2026-04-03T20:00:08Z', key.keyId],
      ['key.revoked', '2026-04-03T20:00:08Z', key.keyId],
    ]);
    expect(res.body.events[1].details).toEqual({ name: 'contract', scopes: ['messages:read', 'presence:update'], expires_at: null });
    expect(res.body.events[6].details).toEqual({ fields: ['intro', 'status'] });
    expect(new Set(res.body.events.map((e: { event_id: string }) => e.event_id)).size).toBe(11);
    for (const secret of [reg.recoveryKey, key.apiKey, second.apiKey, token, refreshed, reader, code, ...ctx.fake.state().stores.outbox.list().map((m) => m.code)]) {
      expect(res.text).not.toContain(secret);
    }
  });

  it("refuses another agent's log with 403 and no token with 401", async () => {
    const a = await ctx.actor();
    const b = await ctx.actor();
    const res = await ctx.as(a.token, 'get', logPath(b.agentId));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await ctx.req('get', logPath(a.agentId))).status).toBe(401);
    expect((await ctx.req('get', logPath(a.agentId)).set('Authorization', basic(a.agentId, a.recoveryKey))).status).toBe(401);
    expect((await ctx.as(a.token, 'get', logPath('agt_1'))).body.error.code).toBe('INVALID_AGENT_ID');
  });

  it('records a key revoke once, however often it is repeated', async () => {
    const a = await ctx.actor();
    for (let i = 0; i < 2; i++) await ctx.req('delete', `/api/agents/${a.agentId}/keys/${a.keyId}`).set('Authorization', basic(a.agentId, a.recoveryKey));
    expect(ctx.fake.state().stores.audit.of(a.agentId).filter((e) => e.type === 'key.revoked')).toHaveLength(1);
  });

  it('pages with Shape A (default 50, no skip, no repeat) and refuses forged or foreign cursors and bad limits', async () => {
    const a = await ctx.actor(); // 3 events: registered, key.created, token.issued
    for (let i = 0; i < 52; i++) await exchange(ctx.req, a.agentId, a.apiKey);
    const all = ctx.fake.state().stores.audit.of(a.agentId).map((e) => e.event_id);
    expect(all).toHaveLength(55);

    const first = await ctx.as(a.token, 'get', logPath(a.agentId));
    expect(first.body.events).toHaveLength(50);
    expect(first.body.has_more).toBe(true);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await ctx.as(a.token, 'get', logPath(a.agentId)).query(cursor ? { limit: 20, cursor } : { limit: 20 });
      expect(res.status).toBe(200);
      seen.push(...res.body.events.map((e: { event_id: string }) => e.event_id));
      cursor = res.body.next_cursor ?? undefined;
      expect(res.body.has_more).toBe(cursor !== undefined);
    } while (cursor);
    expect(seen).toEqual(all);

    const b = await ctx.actor();
    for (let i = 0; i < 2; i++) await exchange(ctx.req, b.agentId, b.apiKey);
    const foreign = (await ctx.as(b.token, 'get', logPath(b.agentId)).query({ limit: 1 })).body.next_cursor;
    const forged = `${Buffer.from(JSON.stringify({ after: 10 })).toString('base64url')}.AAAAAAAAAAAAAAAA`;
    for (const query of [{ cursor: forged }, { cursor: foreign }, { limit: 0 }, { limit: 101 }]) {
      const res = await ctx.as(a.token, 'get', logPath(a.agentId)).query(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
    }
  });
});
