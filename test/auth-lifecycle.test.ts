// Inferred Auth operations: email verification and resend, token refresh (rotation), token revoke, whoami.
// Each rule is checked by what the server accepts afterwards, over supertest against the in-process fake.
import { describe, expect, it } from 'vitest';
import { basic, createKey, exchange, register } from '../contracts/lib/actors.ts';
import { fakePerTest } from './helpers.ts';

const ctx = fakePerTest();

const lastCode = (agentId: string) => ctx.fake.state().stores.outbox.list().filter((m) => m.agent_id === agentId).at(-1)!;
const verify = (agentId: string, recoveryKey: string, code: string) =>
  ctx.req('post', '/api/auth/email/verify').set('Authorization', basic(agentId, recoveryKey)).send({ code });
const resend = (agentId: string, recoveryKey: string) => ctx.req('post', '/api/auth/email/resend').set('Authorization', basic(agentId, recoveryKey));
const whoami = (token: string) => ctx.as(token, 'get', '/api/auth/whoami');
const wrong = (code: string) => (code === '000000' ? '000001' : '000000');

describe('verifyEmail', () => {
  it('verifies with the emailed code and the recovery key, right after registering', async () => {
    const { agentId, recoveryKey } = await register(ctx.req, { email: 'bot@example.com' });
    const mail = lastCode(agentId);
    expect(mail).toMatchObject({ to: 'bot@example.com' });
    const res = await verify(agentId, recoveryKey, mail.code);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ agent_id: agentId, email: 'bot@example.com', email_verified: true });
    expect(res.body.email_verified_at).toMatch(/Z$/);
  });

  it('accepts the agent\'s Bearer token too', async () => {
    const a = await ctx.actor({ email: 'a@example.com' });
    const res = await ctx.as(a.token, 'post', '/api/auth/email/verify').send({ code: lastCode(a.agentId).code });
    expect(res.status).toBe(200);
    expect((await whoami(a.token)).body.email_verified).toBe(true);
  });

  it('refuses a wrong code with 400 INVALID_REQUEST and stays unverified', async () => {
    const { agentId, recoveryKey } = await register(ctx.req, { email: 'bot@example.com' });
    const res = await verify(agentId, recoveryKey, wrong(lastCode(agentId).code));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_REQUEST', message: 'verification code is wrong' });
    expect(ctx.fake.state().stores.agents.get(agentId)!.email_verified).toBe(false);
  });

  it('refuses a code after its hour with 400 INVALID_REQUEST', async () => {
    const { agentId, recoveryKey } = await register(ctx.req, { email: 'bot@example.com' });
    const mail = lastCode(agentId);
    expect(Date.parse(mail.expires_at) - Date.parse(mail.sent_at)).toBe(3_600_000);
    ctx.fake.state().clock.advance(3_600_000);
    const res = await verify(agentId, recoveryKey, mail.code);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('expired');
  });

  it('uses a code up after five wrong attempts', async () => {
    const { agentId, recoveryKey } = await register(ctx.req, { email: 'bot@example.com' });
    const { code } = lastCode(agentId);
    for (let i = 0; i < 5; i++) expect((await verify(agentId, recoveryKey, wrong(code))).status).toBe(400);
    const res = await verify(agentId, recoveryKey, code);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('request a new one');
  });

  it('answers 404 NOT_FOUND without an email on file and 409 CONFLICT once verified', async () => {
    const plain = await register(ctx.req);
    expect((await verify(plain.agentId, plain.recoveryKey, '123456')).body.error.code).toBe('NOT_FOUND');
    const { agentId, recoveryKey } = await register(ctx.req, { email: 'bot@example.com' });
    const { code } = lastCode(agentId);
    expect((await verify(agentId, recoveryKey, code)).status).toBe(200);
    const again = await verify(agentId, recoveryKey, code);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
  });

  it('refuses missing or wrong credentials and an API key with 401, naming the failure', async () => {
    const a = await ctx.actor({ email: 'a@example.com' });
    expect((await ctx.req('post', '/api/auth/email/verify').send({ code: '123456' })).status).toBe(401);
    const bad = await verify(a.agentId, 'rk_wrongwrongwrongwr', '123456');
    expect(bad.status).toBe(401);
    expect(bad.body.error.message).toBe('invalid agent_id or recovery_key');
    expect((await verify(a.agentId, a.apiKey, lastCode(a.agentId).code)).status).toBe(401);
  });

  it('refuses a body without a code with 400', async () => {
    const { agentId, recoveryKey } = await register(ctx.req, { email: 'bot@example.com' });
    const res = await ctx.req('post', '/api/auth/email/verify').set('Authorization', basic(agentId, recoveryKey)).send({});
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
  });

  it('does not restrict unverified agents', async () => {
    const a = await ctx.actor({ email: 'a@example.com' });
    expect((await ctx.as(a.token, 'post', '/api/conversations').send({ type: 'group', name: 'x', members: [] })).status).toBe(201);
  });
});

describe('resendEmailVerification', () => {
  it('sends a new code valid one hour from now that replaces the old one', async () => {
    ctx.restart({ clockStart: new Date('2026-04-03T20:00:00Z') });
    const { agentId, recoveryKey } = await register(ctx.req, { email: 'bot@example.com' });
    const old = lastCode(agentId);
    ctx.fake.state().clock.advance(600_000);
    const res = await resend(agentId, recoveryKey);
    expect(res.status).toBe(200);
    const fresh = lastCode(agentId);
    expect(fresh).not.toBe(old);
    expect(res.body).toEqual({ agent_id: agentId, email: 'bot@example.com', email_verification_sent: true, email_verification_expires_at: fresh.expires_at });
    expect(fresh).toMatchObject({ sent_at: '2026-04-03T20:10:00Z', expires_at: '2026-04-03T21:10:00Z' });
    if (old.code !== fresh.code) expect((await verify(agentId, recoveryKey, old.code)).status).toBe(400);
    expect((await verify(agentId, recoveryKey, fresh.code)).status).toBe(200);
  });

  it('answers 404 without an email, 409 once verified, 401 without credentials', async () => {
    const plain = await register(ctx.req);
    expect((await resend(plain.agentId, plain.recoveryKey)).status).toBe(404);
    const { agentId, recoveryKey } = await register(ctx.req, { email: 'bot@example.com' });
    await verify(agentId, recoveryKey, lastCode(agentId).code);
    const res = await resend(agentId, recoveryKey);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONFLICT');
    expect((await ctx.req('post', '/api/auth/email/resend')).status).toBe(401);
  });
});

describe('refreshToken', () => {
  it('gives a new token with the same scopes and key, and revokes the presented one (rotation)', async () => {
    const a = await ctx.actor({ scopes: ['messages:read'] });
    const res = await ctx.as(a.token, 'post', '/api/auth/token/refresh');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scopes: ['messages:read'] });
    const fresh = res.body.access_token;
    expect(fresh).not.toBe(a.token);
    const me = await whoami(fresh);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ agent_id: a.agentId, key_id: a.keyId, scopes: ['messages:read'] });
    const old = await whoami(a.token);
    expect(old.status).toBe(401);
    expect(old.body.error.message).toBe('token revoked');
    expect((await ctx.as(a.token, 'post', '/api/auth/token/refresh')).status).toBe(401);
  });

  it('refuses an expired token with 401', async () => {
    const a = await ctx.actor();
    ctx.fake.state().clock.advance(3_600_000);
    expect((await ctx.as(a.token, 'post', '/api/auth/token/refresh')).status).toBe(401);
  });

  it('refuses when the key was revoked or has expired since the token was minted', async () => {
    ctx.restart({ tokenTtlSeconds: 200_000 });
    const a = await ctx.actor();
    const expiring = await ctx.req('post', `/api/agents/${a.agentId}`).set('Authorization', basic(a.agentId, a.recoveryKey)).send({ name: 'short', expires_in_days: 1 });
    const { token } = await exchange(ctx.req, a.agentId, expiring.body.api_key);
    ctx.fake.state().clock.advance(86_400_000);
    expect((await whoami(token)).status).toBe(200); // the token itself is still valid
    const res = await ctx.as(token, 'post', '/api/auth/token/refresh');
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain('expired');

    await ctx.as(a.token, 'delete', `/api/agents/${a.agentId}/keys/${a.keyId}`);
    expect((await ctx.as(a.token, 'post', '/api/auth/token/refresh')).status).toBe(401);
  });

  it('refuses a request without a token with 401 and a Bearer challenge', async () => {
    const res = await ctx.req('post', '/api/auth/token/refresh');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });
});

describe('revokeToken', () => {
  it('revokes the presented token: it is 401 everywhere afterwards', async () => {
    const a = await ctx.actor();
    const res = await ctx.as(a.token, 'post', '/api/auth/token/revoke');
    expect(res.status).toBe(204);
    expect((await whoami(a.token)).status).toBe(401);
    expect((await ctx.as(a.token, 'get', `/api/agents/${a.agentId}`)).status).toBe(401);
    expect((await ctx.as(a.token, 'post', '/api/conversations').send({ type: 'group', members: [] })).status).toBe(401);
  });

  it('revokes another token of the same agent given in the body, leaving the presented one alive', async () => {
    const a = await ctx.actor();
    const { token: second } = await exchange(ctx.req, a.agentId, a.apiKey);
    const res = await ctx.as(a.token, 'post', '/api/auth/token/revoke').send({ token: second });
    expect(res.status).toBe(204);
    expect((await whoami(second)).status).toBe(401);
    expect((await whoami(a.token)).status).toBe(200);
  });

  it("refuses another agent's token with 403 and leaves it alive", async () => {
    const a = await ctx.actor();
    const b = await ctx.actor();
    const res = await ctx.as(a.token, 'post', '/api/auth/token/revoke').send({ token: b.token });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await whoami(b.token)).status).toBe(200);
  });

  it('refuses a string that is not a token of this service with 400', async () => {
    const a = await ctx.actor();
    const forged = a.token.slice(0, a.token.lastIndexOf('.') + 1) + 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    for (const token of ['not-a-jwt', forged]) {
      const res = await ctx.as(a.token, 'post', '/api/auth/token/revoke').send({ token });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
    }
    expect((await ctx.as(a.token, 'post', '/api/auth/token/revoke').send({ tokn: 'x' })).status).toBe(400);
  });

  it('succeeds without effect for a token already revoked or expired', async () => {
    ctx.restart({ tokenTtlSeconds: 60 });
    const a = await ctx.actor();
    const old = a.token;
    ctx.fake.state().clock.advance(61_000);
    const { token } = await exchange(ctx.req, a.agentId, a.apiKey);
    expect((await ctx.as(token, 'post', '/api/auth/token/revoke').send({ token: old })).status).toBe(204);
    const { token: other } = await exchange(ctx.req, a.agentId, a.apiKey);
    expect((await ctx.as(token, 'post', '/api/auth/token/revoke').send({ token: other })).status).toBe(204);
    expect((await ctx.as(token, 'post', '/api/auth/token/revoke').send({ token: other })).status).toBe(204);
    const revoked = ctx.fake.state().stores.audit.of(a.agentId).filter((e) => e.type === 'token.revoked');
    expect(revoked).toHaveLength(1);
  });

  it('refuses a request without a token with 401', async () => {
    expect((await ctx.req('post', '/api/auth/token/revoke')).status).toBe(401);
  });
});

describe('getWhoami', () => {
  it("shows the token's agent, key, scopes and expiry and the email state, never a secret", async () => {
    ctx.restart({ clockStart: new Date('2026-04-03T20:00:00Z') });
    const reg = await register(ctx.req, { email: 'who@example.com', name: 'who-bot' });
    const key = await createKey(ctx.req, reg.agentId, reg.recoveryKey, ['messages:read', 'conversations:read']);
    const { token } = await exchange(ctx.req, reg.agentId, key.apiKey);
    const res = await whoami(token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      agent_id: reg.agentId,
      agent_name: 'who-bot',
      key_id: key.keyId,
      scopes: ['messages:read', 'conversations:read'],
      token_expires_at: '2026-04-03T21:00:00Z',
      email: 'who@example.com',
      email_verified: false,
      created_at: '2026-04-03T20:00:00Z',
    });
    for (const secret of [reg.recoveryKey, key.apiKey, token]) expect(res.text).not.toContain(secret);
  });

  it('refuses no token and Basic credentials with 401', async () => {
    const a = await ctx.actor();
    expect((await ctx.req('get', '/api/auth/whoami')).status).toBe(401);
    expect((await ctx.req('get', '/api/auth/whoami').set('Authorization', basic(a.agentId, a.apiKey))).status).toBe(401);
  });
});
