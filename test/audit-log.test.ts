// Inferred operation listAuditLog: which account events are recorded, in what order, with which times,
// without secrets, for whom, and how it pages.
import { afterEach, describe, expect, it } from 'vitest';
import { basic, exchange, register, createKey } from '../contracts/lib/actors.ts';
import { setupFake } from './helpers.ts';

let ctx = setupFake();
afterEach(() => {
  expect(ctx.violations).toEqual([]);
  ctx = setupFake();
});

const logPath = (agentId: string) => `/api/agents/${agentId}/audit-log`;

describe('listAuditLog', () => {
  it('records the account events in order, at the fake clock\'s times, without any secret', async () => {
    ctx = setupFake({ clockStart: new Date('2026-04-03T20:00:00Z') });
    const clock = ctx.fake.state().clock;
    const step = () => clock.advance(1000);
    const reg = await register(ctx.req, { email: 'log@example.com' });
    step();
    const key = await createKey(ctx.req, reg.agentId, reg.recoveryKey, ['messages:read', 'presence:update']);
    step();
    const { token } = await exchange(ctx.req, reg.agentId, key.apiKey);
    step();
    await ctx.req('post', '/api/auth/email/resend').set('Authorization', basic(reg.agentId, reg.recoveryKey));
    const code = ctx.fake.state().outbox.at(-1)!.code;
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
    for (const secret of [reg.recoveryKey, key.apiKey, second.apiKey, token, refreshed, reader, code, ...ctx.fake.state().outbox.map((m) => m.code)]) {
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
