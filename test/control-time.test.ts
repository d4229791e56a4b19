// Control plane: the tenant's clock (tokens and keys expire against it, timestamps follow it) and the
// outbox of verification emails; over HTTP and in process.
import { describe, expect, it } from 'vitest';
import { basic } from '../contracts/lib/actors.ts';
import { createFake } from '../src/index.ts';
import { setupFake } from './helpers.ts';

const T0 = '2026-04-03T20:00:00Z';

describe('clock', () => {
  it('get, freeze at an instant, set and advance over HTTP', async () => {
    const { req } = setupFake();
    expect((await req('get', '/__fake/clock')).body).toMatchObject({ tenant: 'default', frozen: false });
    expect((await req('post', '/__fake/clock/freeze').send({ at: T0 })).body).toEqual({ tenant: 'default', now: T0, frozen: true });
    expect((await req('post', '/__fake/clock/advance').send({ seconds: 90 })).body.now).toBe('2026-04-03T20:01:30Z');
    expect((await req('post', '/__fake/clock/advance').send({ ms: 500 })).body.now).toBe('2026-04-03T20:01:30Z');
    expect((await req('post', '/__fake/clock/set').send({ at: '2030-01-01T00:00:00Z' })).body).toMatchObject({ now: '2030-01-01T00:00:00Z', frozen: true });
    const unfrozen = await req('post', '/__fake/clock/unfreeze');
    expect(unfrozen.body.frozen).toBe(false);
    expect(unfrozen.body.now.startsWith('2030-01-01T00:00:0')).toBe(true);
  });

  it('refuses a bad instant, both or neither of seconds/ms, and going backwards by advance', async () => {
    const { req } = setupFake();
    expect((await req('post', '/__fake/clock/set').send({ at: 'yesterday' })).status).toBe(400);
    expect((await req('post', '/__fake/clock/advance').send({})).status).toBe(400);
    expect((await req('post', '/__fake/clock/advance').send({ seconds: 1, ms: 1 })).status).toBe(400);
    expect((await req('post', '/__fake/clock/advance').send({ seconds: -5 })).status).toBe(400);
  });

  it('expires a token when the clock passes its exp, and the API key still mints a new one', async () => {
    const { req, actor, as, violations } = setupFake();
    await req('post', '/__fake/clock/freeze').send({ at: T0 });
    const me = await actor();
    expect((await as(me.token, 'get', '/api/blocks')).status).toBe(200);
    await req('post', '/__fake/clock/advance').send({ seconds: 3599 });
    expect((await as(me.token, 'get', '/api/blocks')).status).toBe(200);
    await req('post', '/__fake/clock/advance').send({ seconds: 1 });
    const expired = await as(me.token, 'get', '/api/blocks');
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/expired/);
    const fresh = await req('post', '/api/auth/token').set('Authorization', basic(me.agentId, me.apiKey)).send({ grant_type: 'client_credentials' });
    expect((await as(fresh.body.access_token, 'get', '/api/blocks')).status).toBe(200);
    expect(violations).toEqual([]);
  });

  it('expires an API key with expires_in_days when the clock passes it (in process)', async () => {
    const fake = createFake({ clockStart: new Date(T0) });
    const { agents } = await fake.control.seed({ agents: [{ ref: 'a', agent_name: 'exp-bot', keys: [{ api_key: 'sk_expiring_key_1', expires_in_days: 1 }] }] });
    const a = agents.a as any;
    const request = (await import('supertest')).default;
    const exchange = () => request(fake.app).post('/api/auth/token').set('Authorization', basic(a.agent_id, 'sk_expiring_key_1')).send({ grant_type: 'client_credentials' });
    expect((await exchange()).status).toBe(200);
    fake.control.clock.advance({ seconds: 86_400 });
    expect((await exchange()).status).toBe(401);
  });

  it('stamps messages and registrations with the clock', async () => {
    const { fake, req, actor, as } = setupFake();
    fake.control.clock.freeze(T0);
    const me = await actor();
    fake.control.clock.advance({ seconds: 42 });
    const conv = await as(me.token, 'post', '/api/conversations').send({ type: 'group', name: 'x', members: [] });
    expect(conv.body.created_at).toBe('2026-04-03T20:00:42Z');
    fake.control.clock.set('2026-04-03T20:30:09Z');
    const msg = await as(me.token, 'post', '/api/messages').send({ conversation_id: conv.body.conversation_id, content: 'tick' });
    expect(msg.body.created_at).toBe('2026-04-03T20:30:09Z');
    const reg = await req('post', '/api/auth/register').send({ agent_name: 'later-bot' });
    expect(reg.body.created_at).toBe('2026-04-03T20:30:09Z');
  });

  it('is per tenant', async () => {
    const { req } = setupFake();
    await req('post', '/__fake/clock/freeze').set('X-Fluxra-Tenant', 'frozen').send({ at: T0 });
    expect((await req('get', '/__fake/clock').set('X-Fluxra-Tenant', 'frozen')).body.frozen).toBe(true);
    expect((await req('get', '/__fake/clock').set('X-Fluxra-Tenant', 'other')).body.frozen).toBe(false);
  });
});

describe('outbox', () => {
  it('lists verification emails with their codes, filters by agent and clears, over HTTP', async () => {
    const { req } = setupFake();
    const one = await req('post', '/api/auth/register').send({ agent_name: 'mail-one', email: 'one@example.com' });
    const two = await req('post', '/api/auth/register').send({ agent_name: 'mail-two', email: 'two@example.com' });
    await req('post', '/api/auth/register').send({ agent_name: 'no-mail' });
    const all = await req('get', '/__fake/outbox');
    expect(all.status).toBe(200);
    expect(all.body.emails.map((e: any) => e.to)).toEqual(['one@example.com', 'two@example.com']);
    expect(all.body.emails[0].code).toMatch(/^\d{6}$/);
    const mine = await req('get', `/__fake/outbox?agent_id=${two.body.agent_id}`);
    expect(mine.body.emails).toHaveLength(1);
    expect(mine.body.emails[0]).toMatchObject({ agent_id: two.body.agent_id, to: 'two@example.com' });
    expect((await req('delete', `/__fake/outbox?agent_id=${one.body.agent_id}`)).body).toEqual({ removed: 1 });
    expect((await req('get', '/__fake/outbox')).body.emails.map((e: any) => e.to)).toEqual(['two@example.com']);
    expect((await req('delete', '/__fake/outbox')).body).toEqual({ removed: 1 });
    expect((await req('get', '/__fake/outbox')).body.emails).toEqual([]);
  });

  it('works in process and keeps tenants apart', async () => {
    const { fake, req } = setupFake();
    await req('post', '/api/auth/register').set('X-Fluxra-Tenant', 't1').send({ agent_name: 'mail-bot', email: 'm@example.com' });
    expect(fake.control.outbox.list({}, { tenant: 't1' }).emails).toHaveLength(1);
    expect(fake.control.outbox.list().emails).toHaveLength(0);
    expect(fake.control.outbox.clear({}, { tenant: 't1' })).toEqual({ removed: 1 });
  });
});
