// Control plane: faults, rate limits, quirks and settings, and the request journal (redaction,
// filters, bound, HAR); over HTTP and in process.
import { describe, expect, it } from 'vitest';
import { basic } from '../contracts/lib/actors.ts';
import { REDACTED } from '../src/control/journal.ts';
import { setupFake } from './helpers.ts';

describe('faults', () => {
  it('answers the next N calls of an operation with 429 + Retry-After in the envelope, then lets calls through', async () => {
    const { req, actor, as } = setupFake();
    const me = await actor();
    const conv = await as(me.token, 'post', '/api/conversations').send({ type: 'group', name: 'f', members: [] });
    const added = await req('post', '/__fake/faults').send({ operation_id: 'sendMessage', times: 2, status: 429, retry_after: 7 });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ fault_id: expect.any(String), remaining: 2, until: null });
    const send = () => as(me.token, 'post', '/api/messages').send({ conversation_id: conv.body.conversation_id, content: 'x' });
    for (let i = 0; i < 2; i++) {
      const res = await send();
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBe('7');
      expect(res.body.error.code).toBe('RATE_LIMIT_EXCEEDED');
    }
    expect((await send()).status).toBe(201);
    expect((await req('get', '/__fake/faults')).body.faults).toEqual([]);
  });

  it('answers 500 INTERNAL_ERROR and 503 with Retry-After; other operations are untouched', async () => {
    const { fake, req } = setupFake();
    fake.control.faults.add({ operation_id: 'registerAgent', status: 500 });
    const res = await req('post', '/api/auth/register').send({ agent_name: 'boom-bot' });
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('INTERNAL_ERROR');
    fake.control.faults.add({ operation_id: 'registerAgent', status: 503 });
    expect((await req('get', '/health')).status).toBe(200);
    const unavailable = await req('post', '/api/auth/register').send({ agent_name: 'boom-bot' });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers['retry-after']).toBe('1');
    expect(unavailable.body.error.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('fails every call of any operation ("*") for a window of the tenant clock', async () => {
    const { fake, req } = setupFake({ clockStart: new Date('2026-04-03T20:00:00Z') });
    const fault = fake.control.faults.add({ operation_id: '*', for_seconds: 60, status: 503 });
    expect(fault.until).toBe('2026-04-03T20:01:00.000Z');
    expect((await req('get', '/health')).status).toBe(503);
    expect((await req('post', '/api/auth/register').send({ agent_name: 'a-bot' })).status).toBe(503);
    fake.control.clock.advance({ seconds: 60 });
    expect((await req('get', '/health')).status).toBe(200);
    expect(fake.control.faults.list().faults).toEqual([]);
  });

  it('delays a call and then lets it through', async () => {
    const { fake, req } = setupFake();
    await req('post', '/__fake/faults').send({ operation_id: 'getHealth', delay_ms: 120 });
    expect((await req('get', '/health')).status).toBe(200);
    const [entry] = fake.control.journal.list({ operation_id: 'getHealth' }).entries;
    expect(entry.duration_ms).toBeGreaterThanOrEqual(115);
  });

  it('drops the connection: the client sees a socket error and the journal status 0', async () => {
    const { fake, req } = setupFake();
    await req('post', '/__fake/faults').send({ operation_id: 'getHealth', drop: true });
    await expect(req('get', '/health')).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await req('get', '/health')).status).toBe(200);
    await expect.poll(() => fake.control.journal.list().entries.map((e) => e.status)).toEqual([0, 200]);
  });

  it('deletes one fault or all; refuses unknown operations and empty faults', async () => {
    const { req } = setupFake();
    const a = await req('post', '/__fake/faults').send({ operation_id: 'getHealth', status: 500 });
    await req('post', '/__fake/faults').send({ operation_id: 'registerAgent', status: 500 });
    expect((await req('delete', `/__fake/faults/${a.body.fault_id}`)).body).toEqual({ removed: 1 });
    expect((await req('delete', `/__fake/faults/${a.body.fault_id}`)).status).toBe(404);
    expect((await req('get', '/health')).status).toBe(200);
    expect((await req('delete', '/__fake/faults')).body).toEqual({ removed: 1 });
    expect((await req('post', '/__fake/faults').send({ operation_id: 'nope', status: 500 })).body.error.message).toMatch(/unknown operation_id/);
    expect((await req('post', '/__fake/faults').send({ operation_id: 'getHealth' })).status).toBe(400);
    expect((await req('post', '/__fake/faults').send({ operation_id: 'getHealth', status: 200 })).status).toBe(400);
  });
});

describe('settings: rate limits, quirks, token TTL', () => {
  it('rate limits are off by default; on, an operation allows N per window then 429 RATE_LIMIT_EXCEEDED with Retry-After', async () => {
    const { req, violations } = setupFake({ clockStart: new Date('2026-04-03T20:00:00Z') });
    const register = () => req('post', '/api/auth/register').send({ agent_name: 'rl-bot' });
    for (let i = 0; i < 5; i++) expect((await register()).status).toBe(201);
    const on = await req('patch', '/__fake/settings').send({ rate_limits: { enabled: true, operations: { registerAgent: { limit: 2, window_seconds: 60 } } } });
    expect(on.status).toBe(200);
    expect(on.body.rate_limits.operations.registerAgent).toEqual({ limit: 2, window_seconds: 60 });
    expect((await register()).status).toBe(201);
    expect((await req('post', '/__fake/clock/advance').send({ seconds: 15 })).status).toBe(200);
    expect((await register()).status).toBe(201);
    const limited = await register();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMIT_EXCEEDED');
    expect(limited.headers['retry-after']).toBe('45');
    await req('post', '/__fake/clock/advance').send({ seconds: 45 });
    expect((await register()).status).toBe(201);
    expect(violations).toEqual([]);
  });

  it('refuses a rate limit on an operation that does not document 429', async () => {
    const { fake, req } = setupFake();
    const res = await req('patch', '/__fake/settings').send({ rate_limits: { operations: { getHealth: { limit: 1, window_seconds: 1 } } } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/does not document 429/);
    expect(() => fake.control.settings.update({ rate_limits: { operations: { nope: { limit: 1, window_seconds: 1 } } } })).toThrow(/nope/);
  });

  it('plain_text_401 answers 401 as text/plain; token_ttl_seconds sets the lifetime of new tokens', async () => {
    const { fake, req, actor } = setupFake();
    const me = await actor();
    fake.control.settings.update({ plain_text_401: true, token_ttl_seconds: 60 });
    const denied = await req('get', '/api/blocks');
    expect(denied.status).toBe(401);
    expect(denied.headers['content-type']).toMatch(/^text\/plain/);
    const token = await req('post', '/api/auth/token').set('Authorization', basic(me.agentId, me.apiKey)).send({ grant_type: 'client_credentials' });
    expect(token.body.expires_in).toBe(60);
    expect((await req('get', '/__fake/settings')).body).toMatchObject({ token_ttl_seconds: 60, plain_text_401: true, rate_limits: { enabled: false } });
  });
});

describe('journal', () => {
  it('records exchanges with secrets redacted in headers and bodies', async () => {
    const { req, actor } = setupFake();
    const me = await actor();
    const res = await req('get', '/__fake/journal');
    expect(res.status).toBe(200);
    const entries = res.body.entries;
    expect(entries.map((e: any) => e.operation_id)).toEqual(['registerAgent', 'createApiKey', 'exchangeToken']);
    const [register, key, token] = entries;
    expect(register.response.body.recovery_key).toBe(REDACTED);
    expect(register.request.body.agent_name).toBe(me.agentName);
    expect(key.request.headers.authorization).toBe(`Basic ${REDACTED}`);
    expect(key.response.body.api_key).toBe(REDACTED);
    expect(token.response.body.access_token).toBe(REDACTED);
    expect(token).toMatchObject({ method: 'POST', path: '/api/auth/token', status: 200, tenant: 'default' });
    const text = JSON.stringify(entries);
    for (const secret of [me.recoveryKey, me.apiKey, me.token]) expect(text).not.toContain(secret);
  });

  it('filters by operation and tenant, merges tenants with "*", and is not fed by control requests', async () => {
    const { req } = setupFake();
    await req('post', '/api/auth/register').send({ agent_name: 'a-bot' });
    await req('get', '/health').set('X-Fluxra-Tenant', 'blue');
    await req('get', '/__fake/clock');
    expect((await req('get', '/__fake/journal?operation_id=getHealth')).body.entries).toEqual([]);
    expect((await req('get', '/__fake/journal').set('X-Fluxra-Tenant', 'blue')).body.entries.map((e: any) => e.operation_id)).toEqual(['getHealth']);
    expect((await req('get', '/__fake/journal?tenant=blue')).body.entries).toHaveLength(1);
    expect((await req('get', '/__fake/journal?tenant=*')).body.entries.map((e: any) => e.tenant)).toEqual(['default', 'blue']);
    expect((await req('delete', '/__fake/journal')).body).toEqual({ removed: 1 });
  });

  it('is a bounded ring buffer (journalSize)', async () => {
    const { fake, req } = setupFake({ journalSize: 3 });
    for (let i = 0; i < 5; i++) await req('get', `/health?i=${i}`);
    const { entries, capacity } = fake.control.journal.list();
    expect(capacity).toBe(3);
    expect(entries.map((e) => e.path)).toEqual(['/health?i=2', '/health?i=3', '/health?i=4']);
  });

  it('exports HAR 1.2, redacted', async () => {
    const { req, actor } = setupFake();
    const me = await actor();
    const res = await req('get', '/__fake/journal/har');
    expect(res.status).toBe(200);
    const { log } = res.body;
    expect(log.version).toBe('1.2');
    expect(log.creator.name).toBe('fluxra-fake');
    expect(log.entries).toHaveLength(3);
    const entry = log.entries[1];
    expect(entry.request).toMatchObject({ method: 'POST', httpVersion: 'HTTP/1.1', headersSize: -1 });
    expect(entry.request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/agents\/agt_/);
    expect(entry.request.postData.mimeType).toMatch(/json/);
    expect(entry.response.status).toBe(201);
    expect(JSON.parse(entry.response.content.text).api_key).toBe(REDACTED);
    expect(typeof entry.startedDateTime).toBe('string');
    expect(entry.timings.wait).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(log)).not.toContain(me.apiKey);
  });
});

describe('in process (fake.control)', () => {
  it('faults remove/clear, journal har/clear, clock get/unfreeze, and unknown body fields refused over HTTP', async () => {
    const { fake, req } = setupFake({ clockStart: new Date('2026-04-03T20:00:00Z') });
    const a = fake.control.faults.add({ operation_id: 'getHealth', status: 500 });
    fake.control.faults.add({ operation_id: 'getHealth', status: 503 });
    expect(fake.control.faults.remove(a.fault_id)).toEqual({ removed: 1 });
    expect(() => fake.control.faults.remove(a.fault_id)).toThrow(/not found/);
    expect((await req('get', '/health')).status).toBe(503);
    fake.control.faults.add({ operation_id: 'getHealth', status: 500 });
    expect(fake.control.faults.clear()).toEqual({ removed: 1 });
    expect((await req('get', '/health')).status).toBe(200);
    const har = fake.control.journal.har();
    expect(har.log.entries.map((e) => e.response.status)).toEqual([503, 200]);
    expect(fake.control.journal.clear()).toEqual({ removed: 2 });
    expect(fake.control.journal.list().entries).toEqual([]);
    expect(fake.control.clock.get()).toEqual({ tenant: 'default', now: '2026-04-03T20:00:00Z', frozen: true });
    expect(fake.control.clock.unfreeze().frozen).toBe(false);
    const extra = await req('post', '/__fake/faults').send({ operation_id: 'getHealth', status: 500, typo: 1 });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toMatch(/unevaluated|additional/);
  });
});
