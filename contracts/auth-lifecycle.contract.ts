// verifyEmail, resendEmailVerification, refreshToken, revokeToken, getWhoami (all inferred). Each rule is
// checked by what the server accepts afterwards. Reading a verification code needs the fake's outbox and
// moving time needs its clock, so those tests are fake-only and run in a private tenant.
import { describe, expect } from 'vitest';
import { basic, bearer, CONTRACT_PREFIX, contractActor, uniqueName, type Actor } from './lib/actors.ts';
import { call, useContractTarget } from './lib/call.ts';
import { expectError, expectStatus } from './lib/checks.ts';
import { contract } from './lib/contract.ts';
import { inPrivateTenant, lastEmail } from './lib/control.ts';

useContractTarget();

const EMAIL = 'contract-suite@example.com';
// Not six digits, so it can never be the right code by chance.
const WRONG_CODE = 'not-the-code';
type Headers = Record<string, string> | undefined;

const verify = (auth: string, code: string, headers?: Headers) => call('verifyEmail', { auth, headers, body: { code } });
const resend = (auth: string, headers?: Headers) => call('resendEmailVerification', { auth, headers });
const whoami = (token: string, headers?: Headers) => call('getWhoami', { auth: bearer(token), headers });
const refresh = (token: string, headers?: Headers) => call('refreshToken', { auth: bearer(token), headers });
const revoke = (token: string, body?: unknown) => call('revokeToken', { auth: bearer(token), body });
const recovery = (a: Actor) => basic(a.agentId, a.recoveryKey);
const exchange = (a: Actor, headers?: Headers) => call('exchangeToken', { headers, auth: basic(a.agentId, a.apiKey), body: { grant_type: 'client_credentials' } });

/** A registered agent's own limits in a private tenant: one call per hour of each email operation. */
const ONE_PER_HOUR = { rate_limits: { enabled: true, operations: { verifyEmail: { limit: 1, window_seconds: 3600 }, resendEmailVerification: { limit: 1, window_seconds: 3600 } } } };

describe('verifyEmail', () => {
  contract('inferred', 'a wrong code or no code is 400, no email on file 404; the recovery key or the token may try, nothing else', async () => {
    const [a, plain] = await Promise.all([contractActor({ email: EMAIL }), contractActor()]);
    expectError(await verify(recovery(a), WRONG_CODE), 400, 'INVALID_REQUEST');
    expectError(await verify(bearer(a.token), WRONG_CODE), 400, 'INVALID_REQUEST');
    expectError(await call('verifyEmail', { auth: recovery(a), body: {} }), 400, 'INVALID_REQUEST');
    expect((expectStatus(await whoami(a.token), 200).body as { email_verified: boolean }).email_verified).toBe(false);
    expectError(await verify(recovery(plain), '123456'), 404, 'NOT_FOUND');
    expectError(await call('verifyEmail', { body: { code: '123456' } }), 401, 'UNAUTHORIZED');
    expectError(await verify(basic(a.agentId, 'rk_wrongwrongwrongwr'), '123456'), 401, 'UNAUTHORIZED');
    expectError(await verify(basic(a.agentId, a.apiKey), '123456'), 401, 'UNAUTHORIZED');
  });

  contract('fake-only', 'the emailed code verifies (recovery key); whoami shows it; verifying or resending again is 409 CONFLICT', async () => {
    const a = await contractActor({ email: EMAIL });
    const mail = await lastEmail(a.agentId);
    expect(mail.to).toBe(EMAIL);
    const ok = expectStatus(await verify(recovery(a), mail.code), 200).body as Record<string, unknown>;
    expect(ok).toMatchObject({ agent_id: a.agentId, email: EMAIL, email_verified: true, email_verified_at: expect.any(String) });
    expect((expectStatus(await whoami(a.token), 200).body as { email_verified: boolean }).email_verified).toBe(true);
    expectError(await verify(recovery(a), mail.code), 409, 'CONFLICT');
    expectError(await resend(recovery(a)), 409, 'CONFLICT');
  });

  contract('fake-only', 'a code is used up by five wrong attempts, and expires after one hour', async () => {
    await inPrivateTenant(async (tenant) => {
      const h = tenant.headers;
      const [guessed, late] = await Promise.all([contractActor({ email: EMAIL, headers: h }), contractActor({ email: EMAIL, headers: h })]);
      const { code } = await tenant.lastEmail(guessed.agentId);
      for (let i = 0; i < 5; i++) expectError(await verify(recovery(guessed), WRONG_CODE, h), 400, 'INVALID_REQUEST');
      expectError(await verify(recovery(guessed), code, h), 400, 'INVALID_REQUEST');

      const mail = await tenant.lastEmail(late.agentId);
      expect(Date.parse(mail.expires_at) - Date.parse(mail.sent_at)).toBe(3_600_000);
      await tenant.advanceClock(3600);
      expectError(await verify(recovery(late), mail.code, h), 400, 'INVALID_REQUEST');
    });
  });

  contract('fake-only', 'rate limited: 429 RATE_LIMIT_EXCEEDED with Retry-After', async () => {
    await inPrivateTenant(async (tenant) => {
      const a = await contractActor({ email: EMAIL, headers: tenant.headers });
      await tenant.updateSettings(ONE_PER_HOUR);
      expectError(await verify(recovery(a), WRONG_CODE, tenant.headers), 400, 'INVALID_REQUEST');
      const limited = expectError(await verify(recovery(a), WRONG_CODE, tenant.headers), 429, 'RATE_LIMIT_EXCEEDED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    });
  });
});

describe('resendEmailVerification', () => {
  contract('inferred', 'sends a new code valid about an hour from now; no email on file is 404; no credentials 401', async () => {
    const reg = expectStatus(await call('registerAgent', { body: { agent_name: uniqueName(CONTRACT_PREFIX), email: EMAIL } }), 201, 200);
    const { agent_id: agentId, recovery_key: recoveryKey, created_at: createdAt } = reg.body as Record<string, string>;
    const sent = expectStatus(await resend(basic(agentId, recoveryKey)), 200).body as Record<string, unknown>;
    expect(sent).toMatchObject({ agent_id: agentId, email: EMAIL, email_verification_sent: true });
    const validFor = Date.parse(sent.email_verification_expires_at as string) - Date.parse(createdAt);
    expect(validFor).toBeGreaterThanOrEqual(3_600_000);
    expect(validFor).toBeLessThan(3_600_000 + 600_000);

    const plain = expectStatus(await call('registerAgent', { body: { agent_name: uniqueName(CONTRACT_PREFIX) } }), 201, 200).body as Record<string, string>;
    expectError(await resend(basic(plain.agent_id, plain.recovery_key)), 404, 'NOT_FOUND');
    expectError(await call('resendEmailVerification'), 401, 'UNAUTHORIZED');
  });

  contract('fake-only', 'the new code replaces the old one; the token may ask too', async () => {
    const a = await contractActor({ email: EMAIL });
    const old = await lastEmail(a.agentId);
    const sent = expectStatus(await resend(bearer(a.token)), 200).body as { email_verification_expires_at: string };
    const fresh = await lastEmail(a.agentId);
    expect(fresh.expires_at).toBe(sent.email_verification_expires_at);
    if (fresh.code !== old.code) expectError(await verify(recovery(a), old.code), 400, 'INVALID_REQUEST');
    expectStatus(await verify(bearer(a.token), fresh.code), 200);
  });

  contract('fake-only', 'rate limited: 429 RATE_LIMIT_EXCEEDED with Retry-After', async () => {
    await inPrivateTenant(async (tenant) => {
      const a = await contractActor({ email: EMAIL, headers: tenant.headers });
      await tenant.updateSettings(ONE_PER_HOUR);
      expectStatus(await resend(recovery(a), tenant.headers), 200);
      const limited = expectError(await resend(recovery(a), tenant.headers), 429, 'RATE_LIMIT_EXCEEDED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    });
  });
});

describe('refreshToken', () => {
  contract('inferred', 'a new token with the same key and scopes; the presented one is revoked (rotation)', async () => {
    const a = await contractActor({ scopes: ['messages:read'] });
    const body = expectStatus(await refresh(a.token), 200).body as { access_token: string; token_type: string; expires_in: number; scopes: string[] };
    expect(body).toMatchObject({ scopes: ['messages:read'] });
    expect(String(body.token_type).toLowerCase(), 'token_type (case-insensitive, RFC 6749 5.1)').toBe('bearer');
    expect(body.expires_in).toBeGreaterThan(0);
    expect(body.access_token).not.toBe(a.token);
    expect(expectStatus(await whoami(body.access_token), 200).body).toMatchObject({ agent_id: a.agentId, key_id: a.keyId, scopes: ['messages:read'] });
    expectError(await whoami(a.token), 401, 'UNAUTHORIZED');
    expectError(await refresh(a.token), 401, 'UNAUTHORIZED');
    expectError(await call('refreshToken'), 401, 'UNAUTHORIZED');
    expectError(await call('refreshToken', { auth: basic(a.agentId, a.apiKey) }), 401, 'UNAUTHORIZED');
  });

  contract('fake-only', 'an expired token cannot be refreshed (401); exchanging the API key again works', async () => {
    await inPrivateTenant(async (tenant) => {
      const a = await contractActor({ headers: tenant.headers });
      await tenant.advanceClock(3601);
      expectError(await refresh(a.token, tenant.headers), 401, 'UNAUTHORIZED');
      const renewed = (expectStatus(await exchange(a, tenant.headers), 200).body as { access_token: string }).access_token;
      expectStatus(await refresh(renewed, tenant.headers), 200);
    });
  });
});

describe('revokeToken', () => {
  contract('inferred', 'revokes the presented token: it is 401 everywhere afterwards', async () => {
    const a = await contractActor();
    expectStatus(await revoke(a.token), 204);
    expectError(await whoami(a.token), 401, 'UNAUTHORIZED');
    expectError(await call('listApiKeys', { path: { agent_id: a.agentId }, auth: bearer(a.token) }), 401, 'UNAUTHORIZED');
    expectError(await refresh(a.token), 401, 'UNAUTHORIZED');
    expectError(await revoke(a.token), 401, 'UNAUTHORIZED');
  });

  contract('inferred', 'revokes another token of the same agent given in the body; again is 204 and changes nothing', async () => {
    const a = await contractActor();
    const second = (expectStatus(await exchange(a), 200).body as { access_token: string }).access_token;
    expectStatus(await revoke(a.token, { token: second }), 204);
    expectError(await whoami(second), 401, 'UNAUTHORIZED');
    expectStatus(await whoami(a.token), 200);
    expectStatus(await revoke(a.token, { token: second }), 204);
    expectStatus(await whoami(a.token), 200);
  });

  contract('inferred', "another agent's token is 403 (it stays valid); not a token of this service or an unknown field 400; no token 401", async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    expectError(await revoke(a.token, { token: b.token }), 403, 'FORBIDDEN');
    expectStatus(await whoami(b.token), 200);
    const forged = `${a.token.slice(0, a.token.lastIndexOf('.') + 1)}${'A'.repeat(43)}`;
    expectError(await revoke(a.token, { token: 'not-a-jwt' }), 400, 'INVALID_REQUEST');
    expectError(await revoke(a.token, { token: forged }), 400, 'INVALID_REQUEST');
    expectError(await revoke(a.token, { tokn: b.token }), 400, 'INVALID_REQUEST');
    expectStatus(await whoami(a.token), 200);
    expectError(await call('revokeToken'), 401, 'UNAUTHORIZED');
  });
});

describe('getWhoami', () => {
  contract('inferred', "shows the token's agent, key, scopes, expiry and email state, never a secret; no token or Basic is 401", async () => {
    const scopes = ['messages:read', 'conversations:read'];
    const a = await contractActor({ email: EMAIL, scopes });
    const ex = expectStatus(await whoami(a.token), 200);
    const me = ex.body as Record<string, unknown>;
    expect(me).toMatchObject({ agent_id: a.agentId, agent_name: a.agentName, key_id: a.keyId, email: EMAIL, email_verified: false });
    expect([...(me.scopes as string[])].sort()).toEqual([...scopes].sort());
    expect(Date.parse(me.token_expires_at as string)).toBeGreaterThan(Date.parse((me.created_at as string | undefined) ?? '1970-01-01T00:00:00Z'));
    for (const secret of [a.recoveryKey, a.apiKey, a.token]) expect(ex.text.includes(secret), 'a secret in whoami').toBe(false);
    expectError(await call('getWhoami'), 401, 'UNAUTHORIZED');
    expectError(await call('getWhoami', { auth: basic(a.agentId, a.apiKey) }), 401, 'UNAUTHORIZED');
  });
});
