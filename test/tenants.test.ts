// Tenants: X-Fluxra-Tenant selects an isolated state so parallel test workers can share one fake.
// Interleaved concurrent flows must not see each other; the cap answers a clear 503.
import { describe, expect, it } from 'vitest';
import { newActor, bearer } from '../contracts/lib/actors.ts';
import { setupFake } from './helpers.ts';

describe('tenants', () => {
  it('keeps concurrent interleaved flows of several tenants apart (state, clock, faults, journal, settings)', async () => {
    const { fake, req, violations } = setupFake();
    const tenants = ['w1', 'w2', 'w3', 'w4'];
    const h = (t: string) => ({ 'X-Fluxra-Tenant': t });
    // Each worker changes its own clock, settings and faults, then runs a flow; all at once.
    const results = await Promise.all(
      tenants.map(async (t, i) => {
        await req('post', '/__fake/clock/freeze').set(h(t)).send({ at: `2026-0${i + 1}-01T00:00:00Z` });
        await req('patch', '/__fake/settings').set(h(t)).send({ token_ttl_seconds: 100 + i });
        const me = await newActor(req, { name: `worker-${t}`, headers: h(t) });
        const conv = await req('post', '/api/conversations').set(h(t)).set('Authorization', bearer(me.token)).send({ type: 'group', name: `room-${t}`, members: [] });
        if (t === 'w2') await req('post', '/__fake/faults').set(h(t)).send({ operation_id: 'sendMessage', status: 500 });
        const sent = await req('post', '/api/messages').set(h(t)).set('Authorization', bearer(me.token)).send({ conversation_id: conv.body.conversation_id, content: `from ${t}` });
        // Another tenant's token and conversation are unknown here.
        const other = tenants[(i + 1) % tenants.length];
        const cross = await req('post', '/api/conversations').set(h(other)).set('Authorization', bearer(me.token)).send({ type: 'group', name: 'x', members: [] });
        return { t, me, conv: conv.body, sent, cross };
      }),
    );
    for (const [i, r] of results.entries()) {
      expect(r.conv.created_at).toBe(`2026-0${i + 1}-01T00:00:00Z`);
      expect(r.sent.status).toBe(r.t === 'w2' ? 500 : 201);
      expect(r.cross.status).toBe(401);
      const view = fake.control.inspect({ tenant: r.t });
      expect(view.agents.map((a) => a.agent_name)).toEqual([`worker-${r.t}`]);
      expect(view.conversations.map((c) => c.name)).toEqual([`room-${r.t}`]);
      expect(view.conversations[0].messages.map((m) => m.content)).toEqual(r.t === 'w2' ? [] : [`from ${r.t}`]);
      expect(fake.control.settings.get({ tenant: r.t }).token_ttl_seconds).toBe(100 + i);
      const journal = fake.control.journal.list({}, { tenant: r.t }).entries;
      expect(new Set(journal.map((e) => e.tenant))).toEqual(new Set([r.t]));
      expect(journal.every((e) => e.tenant === r.t)).toBe(true);
    }
    expect(fake.control.inspect().agents).toEqual([]); // the default tenant saw nothing
    expect(violations).toEqual([]);
  });

  it('answers 503 with a clear message when the tenant cap is reached, and frees a slot on delete', async () => {
    const { req } = setupFake({ maxTenants: 2 });
    expect((await req('get', '/health').set('X-Fluxra-Tenant', 'one')).status).toBe(200);
    expect((await req('get', '/health').set('X-Fluxra-Tenant', 'two')).status).toBe(200);
    const full = await req('get', '/health').set('X-Fluxra-Tenant', 'three');
    expect(full.status).toBe(503);
    expect(full.body.error).toEqual({ code: 'SERVICE_UNAVAILABLE', message: 'tenant limit reached (2); reset the fake or delete tenants' });
    // The control plane still answers when the table is full (it resolves tenants itself).
    const list = await req('get', '/__fake/tenants');
    expect(list.body).toEqual({ max_tenants: 2, tenants: [expect.objectContaining({ tenant: 'one' }), expect.objectContaining({ tenant: 'two' })] });
    expect((await req('get', '/__fake/clock').set('X-Fluxra-Tenant', 'three')).status).toBe(503);
    expect((await req('delete', '/__fake/tenants/one')).body).toEqual({ deleted: 'one' });
    expect((await req('delete', '/__fake/tenants/one')).status).toBe(404);
    expect((await req('get', '/health').set('X-Fluxra-Tenant', 'three')).status).toBe(200);
  });

  it('lists and deletes tenants in process; refuses a malformed tenant id', async () => {
    const { fake, req } = setupFake();
    await req('post', '/api/auth/register').set('X-Fluxra-Tenant', 'ci-1').send({ agent_name: 'bot-one' });
    expect(fake.control.tenants.list().tenants).toEqual([{ tenant: 'ci-1', agents: 1, conversations: 0, journal: 1 }]);
    expect(fake.control.tenants.delete('ci-1')).toEqual({ deleted: 'ci-1' });
    expect(fake.control.tenants.list().tenants).toEqual([]);
    expect((await req('get', '/__fake/clock').set('X-Fluxra-Tenant', 'bad tenant!')).status).toBe(400);
  });
});
