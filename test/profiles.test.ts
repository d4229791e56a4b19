// Inferred Agents operations: public profile read and update, presence, and the public directory.
import { describe, expect, it } from 'vitest';
import { register } from '../contracts/lib/actors.ts';
import { fakePerTest } from './helpers.ts';

const ctx = fakePerTest();

const profilePath = (agentId: string) => `/api/agents/${agentId}/profile`;

describe('getAgentProfile', () => {
  it('is public and shows name, description, intro, status, presence, never the email', async () => {
    ctx.restart({ clockStart: new Date('2026-04-03T20:00:00Z') });
    const reg = await ctx.req('post', '/api/auth/register').send({ agent_name: 'weather-bot', email: 'secret@example.com', metadata: { description: 'Weather assistant', owner: 'Org' } });
    const res = await ctx.req('get', profilePath(reg.body.agent_id));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      agent_id: reg.body.agent_id,
      agent_name: 'weather-bot',
      description: 'Weather assistant',
      intro: null,
      status: null,
      presence: 'offline',
      created_at: '2026-04-03T20:00:00Z',
      updated_at: '2026-04-03T20:00:00Z',
    });
    expect(res.text).not.toContain('secret@example.com');
  });

  it('answers 404 for an unknown agent and 400 INVALID_AGENT_ID for a malformed id', async () => {
    expect((await ctx.req('get', profilePath('agt_00000000000000000000000000000000'))).status).toBe(404);
    expect((await ctx.req('get', profilePath('agt_bad'))).body.error.code).toBe('INVALID_AGENT_ID');
  });
});

describe('updateAgentProfile', () => {
  it('sets intro and status (the CLI\'s profile set), merges later changes, null clears', async () => {
    ctx.restart({ clockStart: new Date('2026-04-03T20:00:00Z') });
    const a = await ctx.actor();
    ctx.fake.state().clock.advance(60_000);
    const set = await ctx.as(a.token, 'patch', profilePath(a.agentId)).send({ intro: 'AI Agent', status: 'active' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ intro: 'AI Agent', status: 'active', updated_at: '2026-04-03T20:01:00Z' });
    const merged = await ctx.as(a.token, 'patch', profilePath(a.agentId)).send({ status: 'busy' });
    expect(merged.body).toMatchObject({ intro: 'AI Agent', status: 'busy' });
    const cleared = await ctx.as(a.token, 'patch', profilePath(a.agentId)).send({ intro: null });
    expect(cleared.body).toMatchObject({ intro: null, status: 'busy' });
    expect((await ctx.req('get', profilePath(a.agentId))).body).toEqual(cleared.body);
  });

  it("refuses another agent's profile with 403 and no token with 401", async () => {
    const a = await ctx.actor();
    const b = await ctx.actor();
    const res = await ctx.as(a.token, 'patch', profilePath(b.agentId)).send({ intro: 'hijacked' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await ctx.req('get', profilePath(b.agentId))).body.intro).toBeNull();
    expect((await ctx.req('patch', profilePath(a.agentId)).send({ intro: 'x' })).status).toBe(401);
  });

  it('refuses an empty body, unknown fields and too-long values with 400', async () => {
    const a = await ctx.actor();
    for (const body of [{}, { presence: 'online' }, { intro: 'x'.repeat(501) }, { status: '' }, { status: 's'.repeat(51) }]) {
      const res = await ctx.as(a.token, 'patch', profilePath(a.agentId)).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
    }
  });
});

describe('setPresence', () => {
  it('sets presence with presence:update; it shows in the profile and the directory', async () => {
    const a = await ctx.actor();
    const res = await ctx.as(a.token, 'put', `/api/agents/${a.agentId}/presence`).send({ presence: 'online' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ agent_id: a.agentId, presence: 'online' });
    expect((await ctx.req('get', profilePath(a.agentId))).body.presence).toBe('online');
    const dir = await ctx.req('get', '/api/directory');
    expect(dir.body.agents.find((p: { agent_id: string }) => p.agent_id === a.agentId).presence).toBe('online');
  });

  it('refuses a token without presence:update with 403', async () => {
    const a = await ctx.actor({ scopes: ['messages:read', 'messages:write', 'conversations:read'] });
    const res = await ctx.as(a.token, 'put', `/api/agents/${a.agentId}/presence`).send({ presence: 'online' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('token lacks scope presence:update');
    expect((await ctx.req('get', profilePath(a.agentId))).body.presence).toBe('offline');
  });

  it("refuses another agent's presence with 403, a bad value with 400, no token with 401", async () => {
    const a = await ctx.actor();
    const b = await ctx.actor();
    expect((await ctx.as(a.token, 'put', `/api/agents/${b.agentId}/presence`).send({ presence: 'away' })).status).toBe(403);
    expect((await ctx.as(a.token, 'put', `/api/agents/${a.agentId}/presence`).send({ presence: 'busy' })).status).toBe(400);
    expect((await ctx.req('put', `/api/agents/${a.agentId}/presence`).send({ presence: 'away' })).status).toBe(401);
  });
});

describe('listDirectory', () => {
  const names = (res: { body: { agents: { agent_name: string }[] } }) => res.body.agents.map((a) => a.agent_name);

  it('is public, lists live agents in registration order and searches name and intro case-insensitively', async () => {
    await register(ctx.req, { name: 'Alpha-one' });
    const b = await ctx.actor({ name: 'beta-two' });
    await register(ctx.req, { name: 'gamma-three' });
    await ctx.as(b.token, 'patch', profilePath(b.agentId)).send({ intro: 'Forecasts the ALPHA weather' });
    const all = await ctx.req('get', '/api/directory');
    expect(all.status).toBe(200);
    expect(names(all)).toEqual(['Alpha-one', 'beta-two', 'gamma-three']);
    expect(all.body).toMatchObject({ next_cursor: null, has_more: false });
    expect(names(await ctx.req('get', '/api/directory').query({ q: 'alpha' }))).toEqual(['Alpha-one', 'beta-two']);
    expect(names(await ctx.req('get', '/api/directory').query({ q: 'THREE' }))).toEqual(['gamma-three']);
    expect(names(await ctx.req('get', '/api/directory').query({ q: 'nobody' }))).toEqual([]);
  });

  it('pages with Shape A without skipping or repeating, even when agents register between pages', async () => {
    const registered: string[] = [];
    for (let i = 0; i < 7; i++) registered.push((await register(ctx.req, { name: `page-agent-${i}` })).agentId);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await ctx.req('get', '/api/directory').query(cursor ? { limit: 3, cursor } : { limit: 3 });
      expect(res.status).toBe(200);
      seen.push(...res.body.agents.map((a: { agent_id: string }) => a.agent_id));
      expect(res.body.has_more).toBe(res.body.next_cursor !== null);
      cursor = res.body.next_cursor ?? undefined;
      if (pages++ === 0) registered.push((await register(ctx.req, { name: 'late-agent' })).agentId);
    } while (cursor);
    expect(seen).toEqual(registered);
    expect(pages).toBe(3);
  });

  it('refuses a forged cursor, a cursor of another query and a bad limit with 400', async () => {
    for (let i = 0; i < 3; i++) await register(ctx.req, { name: `agent-x-${i}` });
    const first = await ctx.req('get', '/api/directory').query({ limit: 1, q: 'agent-x' });
    const { next_cursor } = first.body;
    expect(next_cursor).toEqual(expect.any(String));
    expect((await ctx.req('get', '/api/directory').query({ limit: 1, q: 'agent-x', cursor: next_cursor })).status).toBe(200);
    const forged = `${next_cursor.split('.')[0]}.AAAAAAAAAAAAAAAA`;
    for (const query of [{ cursor: forged, q: 'agent-x' }, { cursor: next_cursor }, { cursor: next_cursor, q: 'agent' }, { limit: 0 }, { limit: 101 }]) {
      const res = await ctx.req('get', '/api/directory').query(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
    }
  });
});
