// The journal's bounds and redaction beyond the basics of control-faults.test.ts: a byte budget across
// all tenants (oldest entries dropped first), large bodies kept as truncation markers, every secret a
// request or response carries redacted (also revokeToken's token and verifyEmail's code), in the journal
// and in the HAR export.
import { describe, expect, it } from 'vitest';
import { basic, bearer } from '../contracts/lib/actors.ts';
import { createJournalControl, REDACTED } from '../src/control/journal.ts';
import { createControlTenants } from '../src/control/tenants.ts';
import type { Exchange } from '../src/http/stages/capture.ts';
import { createTenancy } from '../src/tenant/tenancy.ts';
import { setupFake } from './helpers.ts';

const register = (name: string, blob: string) => ({ agent_name: name, metadata: { description: 'journal', blob } });

describe('journal bounds', () => {
  it('keeps at most its byte budget across tenants, dropping the oldest entries of any tenant first', async () => {
    const budget = 120_000;
    const { fake, req } = setupFake({ journalBudgetBytes: budget, journalBodyBytes: 20_000 });
    // 30 registrations of about 15 KB each in 6 tenants: 450 KB of bodies, almost four budgets.
    for (let i = 0; i < 30; i++) {
      const res = await req('post', '/api/auth/register').set('X-Fluxra-Tenant', `t${i % 6}`).send(register(`bot-${i}`, 'x'.repeat(15_000)));
      expect(res.status).toBe(201);
    }
    const listed = await req('get', '/__fake/journal?tenant=*');
    expect(listed.status).toBe(200);
    expect(listed.body.bytes).toBeLessThanOrEqual(budget);
    expect(listed.body.budget_bytes).toBe(budget);
    expect(listed.text.length).toBeLessThan(budget * 1.2);
    const kept = listed.body.entries.map((e: any) => e.request.body.agent_name);
    // The newest survive, in order, and nothing older than a dropped entry is left.
    expect(kept.length).toBeGreaterThan(3);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => `bot-${30 - kept.length + k}`));
    expect(fake.control.journal.list({ tenant: '*' }).bytes).toBe(listed.body.bytes);
  });

  it('keeps a body over the journal body limit as its size only (truncated), request and response alike', async () => {
    const { req } = setupFake({ journalBodyBytes: 1_000 });
    const small = await req('post', '/api/auth/register').send(register('small-bot', 'y'.repeat(10)));
    const large = await req('post', '/api/auth/register').send(register('large-bot', 'y'.repeat(5_000)));
    expect([small.status, large.status]).toEqual([201, 201]);
    const [first, second] = (await req('get', '/__fake/journal')).body.entries;
    expect(first.request).toMatchObject({ truncated: false, body: { agent_name: 'small-bot' } });
    expect(first.request.body_bytes).toBeGreaterThan(10);
    expect(second.request).toMatchObject({ truncated: true, body: null });
    expect(second.request.body_bytes).toBeGreaterThan(5_000);
    expect(second.response.truncated).toBe(false);
    const har = (await req('get', '/__fake/journal/har')).body.log.entries[1];
    expect(har.request.postData).toMatchObject({ text: '', comment: expect.stringMatching(/not kept/) });
    expect(har.request.bodySize).toBe(second.request.body_bytes);
  });

  it('forgets a tenant’s entries from the budget when the tenant is reset or deleted', async () => {
    const { fake, req } = setupFake();
    await req('post', '/api/auth/register').set('X-Fluxra-Tenant', 'gone').send(register('gone-bot', 'z'.repeat(5_000)));
    const before = fake.control.journal.list({ tenant: '*' }).bytes;
    expect(before).toBeGreaterThan(5_000);
    await req('delete', '/__fake/tenants/gone');
    expect(fake.control.journal.list({ tenant: '*' }).bytes).toBe(0);
  });
});

describe('journal memory', () => {
  it('lets go of the entries of deleted tenants (found by the soak: they stayed referenced and memory grew)', () => {
    const tenancy = createTenancy({ maxTenants: 10 });
    const tenants = createControlTenants(tenancy);
    const journal = createJournalControl(tenants, { perTenant: 500, budgetBytes: 64 * 1024 * 1024, bodyBytes: 1024 }, 'test');
    const exchange = (tenant: string) =>
      ({ tenant, plane: 'api', operationId: 'getHealth', method: 'GET', path: '/health', status: 200, durationMs: 1, startedAtMs: 0,
        requestHeaders: {}, requestBody: undefined, requestBytes: 0, responseHeaders: {}, responseChunks: ['{}'], responseBytes: 2 }) satisfies Exchange;
    for (let round = 0; round < 200; round++) {
      tenancy.get(`t${round % 5}`);
      for (let i = 0; i < 50; i++) journal.record(exchange(`t${round % 5}`));
      tenants.delete(`t${round % 5}`);
    }
    expect(journal.bytes()).toBe(0);
    expect(journal.queued()).toBeLessThan(2_100);
  });
});

describe('journal redaction', () => {
  it('redacts revokeToken’s token and verifyEmail’s code, in the journal and in the HAR export', async () => {
    const { fake, req, actor } = setupFake();
    const me = await actor({ email: 'me@example.com' });
    const code = fake.control.outbox.list().emails[0].code;
    expect((await req('post', '/api/auth/email/verify').set('Authorization', basic(me.agentId, me.recoveryKey)).send({ code })).status).toBe(200);
    expect((await req('post', '/api/auth/token/revoke').set('Authorization', bearer(me.token)).send({ token: me.token })).status).toBe(204);
    const { entries } = (await req('get', '/__fake/journal')).body;
    expect(entries.find((e: any) => e.operation_id === 'verifyEmail').request.body).toEqual({ code: REDACTED });
    expect(entries.find((e: any) => e.operation_id === 'revokeToken').request.body).toEqual({ token: REDACTED });
    const har = JSON.stringify((await req('get', '/__fake/journal/har')).body);
    for (const text of [JSON.stringify(entries), har]) {
      expect(text).not.toContain(me.token);
      expect(text).not.toContain(`"code":"${code}"`);
      expect(text).not.toContain(me.recoveryKey);
    }
  });

  it('redacts secrets at any depth a body may have, and keeps a "__proto__" key as data', async () => {
    const { req } = setupFake();
    let metadata: Record<string, unknown> = { api_key: 'sk_hidden_deep_value' };
    for (let i = 0; i < 60; i++) metadata = { level: metadata };
    const body = `{"agent_name":"deep-bot","metadata":{"__proto__":{"polluted":true},"nest":${JSON.stringify(metadata)}}}`;
    const res = await req('post', '/api/auth/register').set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(201);
    const entry = (await req('get', '/__fake/journal')).body.entries[0];
    const text = JSON.stringify(entry);
    expect(text).not.toContain('sk_hidden_deep_value');
    expect(text).toContain(REDACTED);
    expect(Object.keys(entry.request.body.metadata)).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
