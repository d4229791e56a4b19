// The fake's caps (src/defaults.ts, each configurable): agents and conversations per tenant, keys per
// agent, members and messages per conversation, each a 409 CONFLICT that says which limit was reached;
// tenants: the default tenant always has a place, and idle tenants are dropped with what the control
// plane kept for them.
import { describe, expect, it } from 'vitest';
import { basic, bearer } from '../contracts/lib/actors.ts';
import { DEFAULTS } from '../src/index.ts';
import { createTenancy } from '../src/tenant/tenancy.ts';
import { expectError } from './chat-helpers.ts';
import { setupFake } from './helpers.ts';

describe('caps', () => {
  it('has defaults that bound memory but no ordinary test suite meets', () => {
    expect(DEFAULTS).toMatchObject({ maxAgents: 10_000, maxConversations: 10_000, maxKeysPerAgent: 100, maxMembers: 1_000, maxMessages: 100_000 });
  });

  it('registerAgent: 409 past the agents per tenant (deleted agents count), per tenant', async () => {
    const { req, actor } = setupFake({ maxAgents: 2 });
    const gone = await actor();
    expect((await req('delete', `/api/agents/${gone.agentId}`).set('Authorization', basic(gone.agentId, gone.recoveryKey))).status).toBe(204);
    expect((await req('post', '/api/auth/register').send({ agent_name: 'second-bot' })).status).toBe(201);
    const full = await req('post', '/api/auth/register').send({ agent_name: 'third-bot' });
    expectError(full, 409, 'CONFLICT');
    expect(full.body.error.message).toBe('limit reached: at most 2 agents per tenant (deleted ones count)');
    expect((await req('post', '/api/auth/register').set('X-Fluxra-Tenant', 'other').send({ agent_name: 'other-bot' })).status).toBe(201);
  });

  it('createApiKey: 409 past the keys per agent (revoked keys count)', async () => {
    const { req, actor } = setupFake({ maxKeysPerAgent: 2 });
    const me = await actor(); // one key
    const create = () => req('post', `/api/agents/${me.agentId}`).set('Authorization', basic(me.agentId, me.recoveryKey)).send({ name: 'more' });
    expect((await create()).status).toBe(201);
    const res = await create();
    expectError(res, 409, 'CONFLICT');
    expect(res.body.error.message).toMatch(/at most 2 API keys per agent/);
  });

  it('createConversation and the direct-message shortcut: 409 past the conversations per tenant', async () => {
    const { req, actor } = setupFake({ maxConversations: 1 });
    const [me, other] = [await actor(), await actor()];
    const auth = { Authorization: bearer(me.token) };
    expect((await req('post', '/api/conversations').set(auth).send({ type: 'group', name: 'one', members: [] })).status).toBe(201);
    expectError(await req('post', '/api/conversations').set(auth).send({ type: 'group', name: 'two', members: [] }), 409, 'CONFLICT');
    const dm = await req('post', '/api/messages').set(auth).send({ recipient_agent_id: other.agentId, content: 'hi' });
    expectError(dm, 409, 'CONFLICT');
    expect(dm.body.error.message).toMatch(/at most 1 conversations per tenant/);
  });

  it('createConversation and addConversationMembers: 409 past the members per conversation, nobody added', async () => {
    const { req, actor, fake } = setupFake({ maxMembers: 3 });
    const [me, a, b, c] = [await actor(), await actor(), await actor(), await actor()];
    const auth = { Authorization: bearer(me.token) };
    expectError(await req('post', '/api/conversations').set(auth).send({ type: 'group', name: 'big', members: [a.agentId, b.agentId, c.agentId] }), 409, 'CONFLICT');
    const conv = (await req('post', '/api/conversations').set(auth).send({ type: 'group', name: 'ok', members: [a.agentId] })).body.conversation_id;
    const res = await req('post', `/api/conversations/${conv}/members`).set(auth).send({ agent_ids: [b.agentId, c.agentId] });
    expectError(res, 409, 'CONFLICT');
    expect(res.body.error.message).toMatch(/at most 3 members per conversation/);
    expect(fake.control.inspect().conversations[0].members).toHaveLength(2);
    expect((await req('post', `/api/conversations/${conv}/members`).set(auth).send({ agent_id: b.agentId })).status).toBe(200);
  });

  it('sendMessage: 409 past the messages per conversation (deleted messages count)', async () => {
    const { req, actor } = setupFake({ maxMessages: 2 });
    const me = await actor();
    const auth = { Authorization: bearer(me.token) };
    const conv = (await req('post', '/api/conversations').set(auth).send({ type: 'group', name: 'short', members: [] })).body.conversation_id;
    const first = await req('post', '/api/messages').set(auth).send({ conversation_id: conv, content: 'one' });
    expect((await req('delete', `/api/messages/${first.body.message_id}`).set(auth)).status).toBe(204);
    expect((await req('post', '/api/messages').set(auth).send({ conversation_id: conv, content: 'two' })).status).toBe(201);
    const res = await req('post', '/api/messages').set(auth).send({ conversation_id: conv, content: 'three' });
    expectError(res, 409, 'CONFLICT');
    expect(res.body.error.message).toMatch(/at most 2 messages per conversation/);
  });

  it('seedFake meets the same caps: 409, and nothing of the seed is written', async () => {
    const { req, fake } = setupFake({ maxAgents: 2 });
    const res = await req('post', '/__fake/seed').send({ agents: [{ agent_name: 'one-bot' }, { agent_name: 'two-bot' }, { agent_name: 'three-bot' }] });
    expectError(res, 409, 'CONFLICT');
    expect(fake.control.inspect().agents).toEqual([]);
  });
});

describe('tenants', () => {
  it('the default tenant always has a place, however many other tenants came first', async () => {
    const { req } = setupFake({ maxTenants: 2 });
    for (const t of ['one', 'two']) expect((await req('get', '/health').set('X-Fluxra-Tenant', t)).status).toBe(200);
    expect((await req('get', '/health').set('X-Fluxra-Tenant', 'three')).status).toBe(503);
    expect((await req('post', '/api/auth/register').send({ agent_name: 'default-bot' })).status).toBe(201);
    expect((await req('get', '/__fake/inspect')).status).toBe(200);
  });

  it('drops a tenant unused for the idle time (and the control plane’s part of it); the default tenant stays', async () => {
    const { req, fake } = setupFake({ tenantIdleSeconds: 0.2, maxTenants: 1 });
    await req('post', '/api/auth/register').send({ agent_name: 'stays-bot' });
    await req('post', '/api/auth/register').set('X-Fluxra-Tenant', 'old').send({ agent_name: 'old-bot' });
    await req('post', '/__fake/faults').set('X-Fluxra-Tenant', 'old').send({ operation_id: 'getHealth', status: 500 });
    expect((await req('get', '/health').set('X-Fluxra-Tenant', 'new')).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await req('get', '/health').set('X-Fluxra-Tenant', 'new')).status).toBe(200);
    expect(fake.tenancy.ids().sort()).toEqual(['default', 'new']);
    expect(fake.control.journal.list({ tenant: 'old' }).entries).toEqual([]);
    // A tenant made again under the old name starts fresh: no agents, no faults.
    fake.control.tenants.delete('new');
    expect(fake.control.faults.list({ tenant: 'old' }).faults).toEqual([]);
    expect(fake.control.inspect({ tenant: 'old' }).agents).toEqual([]);
    expect(fake.control.inspect().agents.map((a) => a.agent_name)).toEqual(['stays-bot']);
  });

  it('evicts least recently used first, and only what is idle (tenancy in process, its clock moved)', () => {
    let now = 0;
    const tenancy = createTenancy({ maxTenants: 3, tenantIdleSeconds: 60, now: () => now });
    const dropped: string[] = [];
    tenancy.onDrop((id) => dropped.push(id));
    for (const id of ['a', 'b', 'c']) tenancy.get(id);
    now = 30_000;
    tenancy.get('a'); // a is used again
    expect(tenancy.get('d')).toBeUndefined(); // full, nothing idle yet
    now = 61_000;
    expect(tenancy.get('d')).toBeDefined(); // b and c were idle 61 s
    expect(dropped).toEqual(['b', 'c']);
    expect(tenancy.ids().sort()).toEqual(['a', 'd']);
    now = 10_000_000;
    tenancy.get(); // the default tenant
    tenancy.get('e');
    expect(tenancy.ids().sort()).toEqual(['default', 'e']);
  });
});
