// Control plane, state: reset, snapshot and restore, declarative seed, inspect; over HTTP (supertest
// against the app) and in process (fake.control).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { basic, bearer } from '../contracts/lib/actors.ts';
import { decode, encode, refill } from '../src/control/serialize.ts';
import { createFake } from '../src/index.ts';
import { setupFake } from './helpers.ts';

const FROZEN = '2026-04-03T20:00:00Z';

describe('generic state serializer', () => {
  it('round-trips Maps, Sets, Dates, bytes, undefined and tag-like keys', () => {
    const value = { m: new Map<string, unknown>([['a', { at: new Date('2026-01-01T00:00:00.123Z'), s: new Set([1, 2]) }]]), b: Buffer.from('hi'), u: undefined, tricky: { $map: 1 }, list: [new Date(0)] };
    const back = decode(JSON.parse(JSON.stringify(encode(value)))) as typeof value;
    expect(back.m.get('a')).toEqual({ at: new Date('2026-01-01T00:00:00.123Z'), s: new Set([1, 2]) });
    expect(Buffer.from(back.b).toString()).toBe('hi');
    expect('u' in back && back.u === undefined).toBe(true);
    expect(back.tricky).toEqual({ $map: 1 });
    expect(back.list[0]).toEqual(new Date(0));
  });

  it('refuses state that is not plain data, naming where it is', () => {
    expect(() => encode({ store: { cb: () => 1 } })).toThrow(/\$\.store\.cb/);
  });

  it('refills containers in place and gives missing parts their empty value', () => {
    const map = new Map([['x', 1]]);
    const target = { part: { map, seq: 3 }, added: { list: [1] } };
    refill(target, { part: { map: new Map([['y', 2]]), seq: 7 } }, { part: { map: new Map(), seq: 0 }, added: { list: [] } });
    expect(target.part.map).toBe(map);
    expect([...map]).toEqual([['y', 2]]);
    expect(target.part.seq).toBe(7);
    expect(target.added.list).toEqual([]);
  });
});

describe('reset', () => {
  it('over HTTP gives the tenant a fresh state', async () => {
    const { fake, req, actor } = setupFake();
    await actor();
    expect(fake.control.tenants.list().tenants[0].agents).toBe(1);
    const res = await req('post', '/__fake/reset').send({});
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ reset: ['default'] });
    expect(fake.control.inspect().agents).toEqual([]);
  });

  it('with all: true drops every tenant; in process too', async () => {
    const { fake, req } = setupFake();
    await req('post', '/api/auth/register').set('X-Fluxra-Tenant', 'a').send({ agent_name: 'one-bot' });
    await req('post', '/api/auth/register').set('X-Fluxra-Tenant', 'b').send({ agent_name: 'two-bot' });
    expect((await req('post', '/__fake/reset').send({ all: true })).body.reset.sort()).toEqual(['a', 'b']);
    expect(fake.tenancy.ids()).toEqual([]);
    await fake.control.seed({ agents: [{ agent_name: 'three-bot' }] }, { tenant: 'c' });
    expect(fake.control.reset({ tenant: 'c' })).toEqual({ reset: ['c'] });
    expect(fake.control.inspect({ tenant: 'c' }).agents).toEqual([]);
  });
});

describe('snapshot and restore', () => {
  async function world(fake: ReturnType<typeof createFake>) {
    const seeded = await fake.control.seed({
      agents: [
        { ref: 'alice', agent_name: 'alice-bot', email: 'alice@example.com', keys: [{ name: 'ci', token: true }] },
        { ref: 'bob', agent_name: 'bob-bot', keys: [{ token: true }] },
      ],
      conversations: [{ ref: 'team', name: 'Team', created_by: 'alice', members: ['bob'], messages: [{ from: 'alice', content: 'hello' }] }],
      blocks: [{ owner: 'bob', target_type: 'group', target: 'team' }],
    });
    return { alice: seeded.agents.alice as any, bob: seeded.agents.bob as any };
  }
  const reads = async (app: ReturnType<typeof createFake>['app'], alice: any) => {
    const get = (path: string) => request(app).get(path).set('Authorization', `Bearer ${alice.keys[0].access_token}`);
    const keys = await get(`/api/agents/${alice.agent_id}`);
    const blocks = await get('/api/blocks');
    const health = await request(app).get('/health');
    return [keys.status, keys.text, blocks.status, blocks.text, health.text];
  };

  it('a restored fake answers exactly as before: GET bodies byte-equal, tokens still valid (HTTP, into a fresh fake)', async () => {
    const a = createFake({ clockStart: new Date(FROZEN) });
    const { alice } = await world(a);
    const before = await reads(a.app, alice);
    const snapshot = (await request(a.app).get('/__fake/snapshot')).body;
    expect(snapshot.format).toBe('fluxra-fake-snapshot');

    // The original moves on, then goes back.
    await request(a.app).post('/api/blocks').set('Authorization', `Bearer ${alice.keys[0].access_token}`).send({ target_id: (await a.control.inspect()).agents[1].agent_id });
    await request(a.app).post('/__fake/clock/advance').send({ seconds: 120 });
    expect(await reads(a.app, alice)).not.toEqual(before);
    expect((await request(a.app).post('/__fake/restore').send(snapshot)).status).toBe(200);
    expect(await reads(a.app, alice)).toEqual(before);

    // A fresh fake (another process, in effect) restored from the JSON answers the same, token included.
    const b = createFake();
    const res = await request(b.app).post('/__fake/restore').send(JSON.parse(JSON.stringify(snapshot)));
    expect(res.status).toBe(200);
    expect(res.body.clock).toMatchObject({ now: FROZEN, frozen: true });
    expect(await reads(b.app, alice)).toEqual(before);
    expect(before[0]).toBe(200);
  });

  it('keeps recovery and API keys working after restore (in process)', async () => {
    const a = createFake();
    const { alice } = await world(a);
    const b = createFake();
    b.control.restore(a.control.snapshot());
    const token = await request(b.app).post('/api/auth/token').set('Authorization', basic(alice.agent_id, alice.keys[0].api_key)).send({ grant_type: 'client_credentials' });
    expect(token.status).toBe(200);
    const key = await request(b.app).post(`/api/agents/${alice.agent_id}`).set('Authorization', basic(alice.agent_id, alice.recovery_key)).send({ name: 'after' });
    expect(key.status).toBe(201);
  });

  it('refuses something that is not a snapshot with 400', async () => {
    const { req } = setupFake();
    const res = await req('post', '/__fake/restore').send({ format: 'other' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
  });
});

describe('seed', () => {
  it('over HTTP makes agents with known secrets, keys with scopes, conversations, messages and blocks', async () => {
    const { req, as, violations } = setupFake();
    const res = await req('post', '/__fake/seed').send({
      agents: [
        { ref: 'alice', agent_id: 'agt_0123456789abcdef0123456789abcdef', agent_name: 'alice-bot', recovery_key: 'rk_alice_recovery1', keys: [{ name: 'ci', api_key: 'sk_alice_api_key_01', scopes: ['messages:read'] }] },
        { ref: 'bob', agent_name: 'bob-bot', keys: [{ token: true }] },
      ],
      conversations: [{ ref: 'team', name: 'Team', created_by: 'alice', members: ['bob'], messages: [{ from: 'alice', content: 'hi' }, { from: 'bob', content: 'yo' }] }, { type: 'direct', created_by: 'bob', members: ['alice'] }],
      blocks: [{ owner: 'alice', target: 'bob' }],
    });
    expect(res.status).toBe(201);
    const { alice, bob } = res.body.agents;
    expect(alice).toMatchObject({ agent_id: 'agt_0123456789abcdef0123456789abcdef', recovery_key: 'rk_alice_recovery1' });
    expect(alice.keys[0]).toMatchObject({ api_key: 'sk_alice_api_key_01', scopes: ['messages:read'] });
    expect(res.body.conversations.team.message_ids).toHaveLength(2);
    expect(res.body.conversations.team.members).toEqual([alice.agent_id, bob.agent_id]);
    expect(res.body.blocks[0]).toMatchObject({ owner_id: alice.agent_id, target_type: 'agent', target_id: bob.agent_id });

    // The known secrets work through the public API.
    const token = await req('post', '/api/auth/token').set('Authorization', basic(alice.agent_id, 'sk_alice_api_key_01')).send({ grant_type: 'client_credentials' });
    expect(token.status).toBe(200);
    expect(token.body.scopes).toEqual(['messages:read']);
    // The seeded block is in force: bob cannot message alice directly.
    const sent = await as(bob.keys[0].access_token, 'post', '/api/messages').send({ recipient_agent_id: alice.agent_id, content: 'hey' });
    expect(sent.status).toBe(403);
    expect(violations).toEqual([]);
  });

  it('rejects a secret that breaks the 57-byte agent_id:secret limit with a clear 400, writing nothing', async () => {
    const { fake, req } = setupFake();
    const res = await req('post', '/__fake/seed').send({ agents: [{ agent_name: 'ok-bot' }, { agent_name: 'long-bot', recovery_key: 'rk_this_is_far_too_long_1' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/agents\[1\].*62 bytes.*57-byte limit.*at most 20 characters/);
    expect(fake.control.inspect().agents).toEqual([]);
    const prefix = await req('post', '/__fake/seed').send({ agents: [{ agent_name: 'x-bot', keys: [{ api_key: 'rk_wrongprefix' }] }] });
    expect(prefix.status).toBe(400);
    expect(prefix.body.error.message).toMatch(/api_key must start with "sk_"/);
  });

  it('rejects unknown refs, bad shapes and taken agent ids', async () => {
    const { req } = setupFake();
    expect((await req('post', '/__fake/seed').send({ conversations: [{ created_by: 'ghost' }] })).body.error.message).toMatch(/ghost/);
    expect((await req('post', '/__fake/seed').send({ agents: [{ agent_name: 'x' }] })).status).toBe(400); // schema: 3 to 50
    const id = 'agt_00000000000000000000000000000001';
    expect((await req('post', '/__fake/seed').send({ agents: [{ agent_name: 'one-bot', agent_id: id }] })).status).toBe(201);
    expect((await req('post', '/__fake/seed').send({ agents: [{ agent_name: 'two-bot', agent_id: id }] })).status).toBe(409);
  });

  it('in process returns the same shape, and an unverified email lands in the outbox', async () => {
    const fake = createFake();
    const out = await fake.control.seed({ agents: [{ ref: 'a', agent_name: 'mail-bot', email: 'm@example.com' }] });
    const agent = out.agents.a as any;
    expect(agent.recovery_key).toMatch(/^rk_[A-Za-z0-9_-]{17}$/);
    expect(fake.control.outbox.list().emails).toEqual([expect.objectContaining({ agent_id: agent.agent_id, code: agent.verification_code })]);
  });

  it('seeds a verification code that verifyEmail accepts, and joins that sync and unread counts see', async () => {
    const { fake, req } = setupFake();
    const out = await fake.control.seed({
      agents: [{ ref: 'a', agent_name: 'mail-bot', email: 'm@example.com', keys: [{ token: true }] }, { ref: 'b', agent_name: 'b-bot', keys: [{ token: true }] }],
      conversations: [{ ref: 'room', name: 'Room', created_by: 'a', members: ['b'], messages: [{ from: 'a', content: 'ping' }] }],
    });
    const a = out.agents.a as any;
    const b = out.agents.b as any;
    const verified = await req('post', '/api/auth/email/verify').set('Authorization', basic(a.agent_id, a.recovery_key)).send({ code: a.verification_code });
    expect(verified.status).toBe(200);
    const unread = await req('get', '/api/messages/unread').set('Authorization', bearer(b.keys[0].access_token));
    expect(unread.body.total).toBe(1);
    const sync = await req('get', '/api/sync').set('Authorization', bearer(b.keys[0].access_token));
    expect(sync.body.events.map((e: { type: string }) => e.type)).toContain('conversation.joined');
  });
});

describe('inspect', () => {
  it('shows agents, conversations with messages and blocks, and never a secret', async () => {
    const { fake, req } = setupFake();
    await fake.control.seed({ agents: [{ ref: 'a', agent_name: 'a-bot', recovery_key: 'rk_secret_value_1', keys: [{ api_key: 'sk_secret_value_1' }] }, { ref: 'b', agent_name: 'b-bot' }], conversations: [{ name: 'Room', created_by: 'a', members: ['b'], messages: [{ from: 'b', content: 'ping' }] }] });
    const res = await req('get', '/__fake/inspect');
    expect(res.status).toBe(200);
    expect(res.body.agents.map((a: any) => a.agent_name)).toEqual(['a-bot', 'b-bot']);
    expect(res.body.conversations[0].messages[0].content).toBe('ping');
    expect(res.text).not.toMatch(/secret_value|Hash|hash/);
  });
});
