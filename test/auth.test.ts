// Documented rules of registration and the token exchange (docs: auth page, quickstart).
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { basic, bearer } from '../contracts/lib/actors.ts';
import { setupFake } from './helpers.ts';

describe('registerAgent', () => {
  it('registers with the Quickstart body and reveals the recovery key once, stored only as a hash', async () => {
    const { fake, req, violations } = setupFake();
    const res = await req('post', '/api/auth/register').send({ agent_name: 'weather-bot', email: 'bot@example.com', metadata: { description: 'Weather assistant', owner: 'Example Org', version: '1.0.0' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ agent_name: 'weather-bot', email_verification_sent: true, warning: expect.stringContaining('NOT be shown again') });
    expect(res.body.agent_id).toMatch(/^agt_[0-9a-f]{32}$/);
    expect(res.body.recovery_key).toMatch(/^rk_[A-Za-z0-9_-]{17}$/);
    expect(Date.parse(res.body.email_verification_expires_at) - Date.parse(res.body.created_at)).toBe(3_600_000);
    expect(`${res.body.agent_id}:${res.body.recovery_key}`.length).toBeLessThanOrEqual(57);
    const stored = JSON.stringify([...fake.state().data.agents.agents.values()]);
    expect(stored).not.toContain(res.body.recovery_key);
    expect(fake.state().stores.outbox.list()).toEqual([expect.objectContaining({ to: 'bot@example.com', agent_id: res.body.agent_id, code: expect.stringMatching(/^\d{6}$/) })]);
    expect(violations).toEqual([]);
  });

  it('sends no verification without an email', async () => {
    const { req } = setupFake();
    const res = await req('post', '/api/auth/register').send({ agent_name: 'abc' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email_verification_sent: false, email_verification_expires_at: null });
  });

  it.each([
    ['too short', { agent_name: 'ab' }],
    ['too long', { agent_name: 'a'.repeat(51) }],
    ['with an underscore', { agent_name: 'weather_bot' }],
    ['with a space', { agent_name: 'weather bot' }],
    ['missing', {}],
    ['not a string', { agent_name: 123 }],
    ['with a bad email', { agent_name: 'abc', email: 'not-an-email' }],
    ['with metadata not an object', { agent_name: 'abc', metadata: 'x' }],
  ])('refuses an agent_name or field %s (400 INVALID_REQUEST)', async (_what, body) => {
    const { fake, req } = setupFake();
    const res = await req('post', '/api/auth/register').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
    expect(fake.state().data.agents.agents.size).toBe(0);
  });

  it('accepts names of exactly 3 and 50 characters', async () => {
    const { req } = setupFake();
    expect((await req('post', '/api/auth/register').send({ agent_name: 'a-1' })).status).toBe(201);
    expect((await req('post', '/api/auth/register').send({ agent_name: 'A'.repeat(50) })).status).toBe(201);
  });
});

describe('exchangeToken', () => {
  it('issues a real HS256 JWT carrying the key scopes, with the configured lifetime', async () => {
    const { req, actor, violations } = setupFake({ tokenTtlSeconds: 120 });
    const me = await actor({ scopes: ['messages:read'] });
    const res = await req('post', '/api/auth/token').set('Authorization', basic(me.agentId, me.apiKey)).send({ grant_type: 'client_credentials' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 120, scopes: ['messages:read'] });
    const header = JSON.parse(Buffer.from(res.body.access_token.split('.')[0], 'base64url').toString());
    expect(header.alg).toBe('HS256');
    const claims = decodeJwt(res.body.access_token);
    expect(claims).toMatchObject({ sub: me.agentId, scope: 'messages:read', key_id: me.keyId });
    expect(claims.exp! - claims.iat!).toBe(120);
    expect(violations).toEqual([]);
  });

  it.each([
    ['another grant type', { grant_type: 'password' }],
    ['no grant type', {}],
  ])('refuses %s (400)', async (_what, body) => {
    const { req, actor } = setupFake();
    const me = await actor();
    const res = await req('post', '/api/auth/token').set('Authorization', basic(me.agentId, me.apiKey)).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
  });

  it('refuses a missing body (400)', async () => {
    const { req, actor } = setupFake();
    const me = await actor();
    const res = await req('post', '/api/auth/token').set('Authorization', basic(me.agentId, me.apiKey));
    expect(res.status).toBe(400);
  });

  it('expires tokens in real time with the clock: valid before exp, refused after', async () => {
    const { fake, req, actor } = setupFake({ tokenTtlSeconds: 60 });
    const me = await actor();
    const list = () => req('get', `/api/agents/${me.agentId}`).set('Authorization', bearer(me.token));
    fake.state().clock.advance(59_000);
    expect((await list()).status).toBe(200);
    fake.state().clock.advance(2_000);
    const res = await list();
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('token expired');
  });
});
