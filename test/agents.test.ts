// Documented rules of key creation and key listing (docs: agents page, quickstart).
import { describe, expect, it } from 'vitest';
import { basic, bearer } from '../contracts/lib/actors.ts';
import { setupFake } from './helpers.ts';

describe('createApiKey', () => {
  const create = async (body: object, scopesFrom?: { agentId: string; recoveryKey: string }) => {
    const ctx = setupFake();
    const reg = await ctx.req('post', '/api/auth/register').send({ agent_name: 'key-owner' });
    const who = scopesFrom ?? { agentId: reg.body.agent_id, recoveryKey: reg.body.recovery_key };
    const res = await ctx.req('post', `/api/agents/${reg.body.agent_id}`).set('Authorization', basic(who.agentId, who.recoveryKey)).send(body);
    return { ...ctx, res, agentId: reg.body.agent_id as string, recoveryKey: reg.body.recovery_key as string };
  };

  it('gives the default four scopes when scopes is omitted, and no expiry', async () => {
    const { res, violations } = await create({ name: 'cli' });
    expect(res.status).toBe(201);
    expect(res.body.scopes).toEqual(['messages:read', 'messages:write', 'conversations:read', 'presence:update']);
    expect(res.body.expires_at).toBeNull();
    expect(res.body.api_key).toMatch(/^sk_[A-Za-z0-9_-]{17}$/);
    expect(violations).toEqual([]);
  });

  it('keeps the requested scopes and sets expires_at from expires_in_days', async () => {
    const { res } = await create({ name: 'cli', scopes: ['messages:read', 'messages:write'], expires_in_days: 30 });
    expect(res.body.scopes).toEqual(['messages:read', 'messages:write']);
    expect(Date.parse(res.body.expires_at) - Date.parse(res.body.created_at)).toBe(30 * 86_400_000);
  });

  it('stores the API key only as a hash', async () => {
    const { fake, res } = await create({ name: 'cli' });
    expect(JSON.stringify([...fake.state().data.agents.keys.values()])).not.toContain(res.body.api_key);
  });

  it('refuses a path agent_id that differs from the Basic header (403)', async () => {
    const ctx = setupFake();
    const a = await ctx.req('post', '/api/auth/register').send({ agent_name: 'aaa' });
    const b = await ctx.req('post', '/api/auth/register').send({ agent_name: 'bbb' });
    const res = await ctx.req('post', `/api/agents/${b.body.agent_id}`).set('Authorization', basic(a.body.agent_id, a.body.recovery_key)).send({ name: 'cli' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it.each(['agt_123', 'AGT_0123456789abcdef0123456789abcdef', 'agt_0123456789ABCDEF0123456789ABCDEF', 'xyz'])('refuses a malformed agent id %s (400 INVALID_AGENT_ID)', async (id) => {
    const { req } = setupFake();
    const res = await req('post', `/api/agents/${id}`).set('Authorization', basic(id, 'rk_x')).send({ name: 'cli' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_AGENT_ID');
  });

  it.each([
    ['missing', {}],
    ['empty', { name: '' }],
    ['too long', { name: 'k'.repeat(65) }],
    ['starting with a space', { name: ' cli' }],
    ['with a slash', { name: 'a/b' }],
    ['not a string', { name: 7 }],
  ])('refuses a key name %s (400 INVALID_KEY_NAME)', async (_what, body) => {
    const { res, fake } = await create(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_KEY_NAME');
    expect(fake.state().data.agents.keys.size).toBe(0);
  });

  it.each([
    ['an unknown scope', { name: 'cli', scopes: ['admin'] }],
    ['an empty scope list', { name: 'cli', scopes: [] }],
    ['a repeated scope', { name: 'cli', scopes: ['messages:read', 'messages:read'] }],
    ['zero days', { name: 'cli', expires_in_days: 0 }],
    ['too many days', { name: 'cli', expires_in_days: 3651 }],
    ['fractional days', { name: 'cli', expires_in_days: 1.5 }],
  ])('refuses %s (400 INVALID_REQUEST)', async (_what, body) => {
    const { res } = await create(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
  });

  it('lets an expired key get no more tokens', async () => {
    const { fake, req, res, agentId } = await create({ name: 'cli', expires_in_days: 1 });
    const exchange = () => req('post', '/api/auth/token').set('Authorization', basic(agentId, res.body.api_key)).send({ grant_type: 'client_credentials' });
    expect((await exchange()).status).toBe(200);
    fake.state().clock.advance(86_400_000 + 1000);
    const late = await exchange();
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe('UNAUTHORIZED');
  });
});

describe('listApiKeys', () => {
  it('lists the agent keys newest first, without any secret', async () => {
    const { req, actor, violations } = setupFake();
    const me = await actor();
    const second = await req('post', `/api/agents/${me.agentId}`).set('Authorization', basic(me.agentId, me.recoveryKey)).send({ name: 'second' });
    const res = await req('get', `/api/agents/${me.agentId}`).set('Authorization', bearer(me.token));
    expect(res.status).toBe(200);
    expect(res.body.keys.map((k: { key_id: string }) => k.key_id)).toEqual([second.body.key_id, me.keyId]);
    expect(res.text).not.toContain(me.apiKey);
    expect(res.text).not.toContain(second.body.api_key);
    expect(res.text).not.toContain(me.recoveryKey);
    expect(res.text).not.toContain('api_key');
    expect(res.body.keys[1].last_used_at).not.toBeNull(); // the key was used for the token exchange
    expect(violations).toEqual([]);
  });
});
