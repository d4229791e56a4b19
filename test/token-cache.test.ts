// The cache of verified tokens (src/auth/token-cache.ts, used by src/auth/tokens.ts): a token used again
// skips the signature check, and nothing that ends a token's life is skipped with it. Every case below
// uses the token first (so it is in the cache), then ends its life one way, then uses it again.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { jwtVerify, SignJWT } from 'jose';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { basic } from '../contracts/lib/actors.ts';
import { createTokens } from '../src/auth/tokens.ts';
import { createClock } from '../src/basics/clock.ts';
import { createFake } from '../src/index.ts';
import { fakePerTest } from './helpers.ts';

const ctx = fakePerTest();
const whoami = (token: string) => ctx.as(token, 'get', '/api/auth/whoami');
const cached = () => ctx.fake.state().tokens.cached();

/** Uses the token twice, so the second use was answered from the cache. */
async function warm(token: string) {
  expect((await whoami(token)).status).toBe(200);
  const before = cached();
  expect((await whoami(token)).status).toBe(200);
  expect(cached()).toBe(before);
  expect(before).toBeGreaterThan(0);
}

async function refused(token: string, message: string) {
  const res = await whoami(token);
  expect(res.status).toBe(401);
  expect(res.body.error.message).toBe(message);
}

describe('token cache', () => {
  it('remembers a verified token: its second use adds nothing to the cache', async () => {
    const a = await ctx.actor();
    expect(cached()).toBe(0);
    await warm(a.token);
    expect(cached()).toBe(1);
  });

  it('refuses a cached token once the clock passes its expiry, and accepts it again if the clock goes back', async () => {
    ctx.restart({ clockStart: new Date('2026-04-03T20:00:00Z') }); // frozen: the test's seconds are the fake's
    const a = await ctx.actor();
    await warm(a.token);
    const clock = ctx.fake.state().clock;
    clock.advance(3_599_000);
    expect((await whoami(a.token)).status).toBe(200);
    clock.advance(1_000);
    await refused(a.token, 'token expired');
    // Expiry is a rule of time, not a state: as for an uncached token, the clock decides.
    clock.advance(-1_000);
    expect((await whoami(a.token)).status).toBe(200);
  });

  it('refuses a cached token after it was revoked', async () => {
    const a = await ctx.actor();
    await warm(a.token);
    expect((await ctx.as(a.token, 'post', '/api/auth/token/revoke')).status).toBe(204);
    await refused(a.token, 'token revoked');
  });

  it('refuses a cached token revoked through another token of the same agent', async () => {
    const a = await ctx.actor();
    await warm(a.token);
    const other = (await ctx.req('post', '/api/auth/token').set('Authorization', basic(a.agentId, a.apiKey)).send({ grant_type: 'client_credentials' })).body.access_token;
    expect((await ctx.as(other, 'post', '/api/auth/token/revoke').send({ token: a.token })).status).toBe(204);
    await refused(a.token, 'token revoked');
    expect((await whoami(other)).status).toBe(200);
  });

  it('refuses a cached token after a refresh spent it, and accepts the new one', async () => {
    const a = await ctx.actor();
    await warm(a.token);
    const res = await ctx.as(a.token, 'post', '/api/auth/token/refresh');
    expect(res.status).toBe(200);
    await refused(a.token, 'token revoked');
    expect((await whoami(res.body.access_token)).status).toBe(200);
  });

  it('refuses a cached token after its API key was revoked', async () => {
    const a = await ctx.actor();
    await warm(a.token);
    expect((await ctx.as(a.token, 'delete', `/api/agents/${a.agentId}/keys/${a.keyId}`)).status).toBe(204);
    await refused(a.token, 'the API key behind this token was revoked');
  });

  it('refuses a cached token after its agent deleted its account', async () => {
    const a = await ctx.actor();
    await warm(a.token);
    expect((await ctx.req('delete', `/api/agents/${a.agentId}`).set('Authorization', basic(a.agentId, a.recoveryKey))).status).toBe(204);
    await refused(a.token, 'agent no longer exists');
  });

  it('forgets every token when the signing key changes (a restore of another fake), and takes the snapshot\'s tokens', async () => {
    const a = await ctx.actor();
    await warm(a.token);
    // An agent and token in another fake (another signing key); its snapshot restored here replaces the key.
    const other = createFake();
    const reg = (await request(other.app).post('/api/auth/register').send({ agent_name: 'elsewhere' })).body;
    const key = (await request(other.app).post(`/api/agents/${reg.agent_id}`).set('Authorization', basic(reg.agent_id, reg.recovery_key)).send({ name: 'k' })).body;
    const theirs = (await request(other.app).post('/api/auth/token').set('Authorization', basic(reg.agent_id, key.api_key)).send({ grant_type: 'client_credentials' })).body.access_token;
    ctx.fake.control.restore(other.control.snapshot());
    await refused(a.token, 'token signature invalid');
    expect((await whoami(theirs)).status).toBe(200);
  });

  it('refuses a token that differs from a cached one only in its claims (the whole token is the key)', async () => {
    const a = await ctx.actor();
    await warm(a.token);
    const [header, payload, signature] = a.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86_400 })).toString('base64url')}.${signature}`;
    await refused(forged, 'token signature invalid');
  });

  it('keeps tokens of one tenant out of another (each tenant verifies with its own key)', async () => {
    const a = await ctx.actor();
    await warm(a.token);
    const res = await ctx.as(a.token, 'get', '/api/auth/whoami').set('X-Fluxra-Tenant', 'other');
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('token signature invalid');
  });
});

describe('tokens (unit)', () => {
  const key = new Uint8Array(32).fill(7);
  const make = (cacheSize?: number) => {
    const clock = createClock(new Date('2026-04-03T20:00:00Z'));
    let n = 0;
    const tokens = createTokens({ clock, key: () => key, ttlSeconds: () => 60, newJti: () => `jti-${n++}`, cacheSize });
    return { clock, tokens };
  };

  it('is bounded: past its size the oldest entries go, and an evicted token still verifies', async () => {
    const { tokens } = make(3);
    const issued = await Promise.all([0, 1, 2, 3, 4].map((i) => tokens.issue(`agt_${i}`, 'aky_1', [])));
    for (const { token } of issued) expect(tokens.verify(token)).toMatchObject({ key_id: 'aky_1' });
    expect(tokens.cached()).toBe(3);
    expect(tokens.verify(issued[0].token)).toMatchObject({ sub: 'agt_0' });
    expect(tokens.cached()).toBe(3);
  });

  it('caches only tokens that verified', async () => {
    const { tokens, clock } = make();
    const { token } = await tokens.issue('agt_1', 'aky_1', []);
    const [h, p] = token.split('.');
    expect(tokens.verify(`${h}.${p}.${'A'.repeat(43)}`)).toEqual({ reason: 'token signature invalid' });
    expect(tokens.cached()).toBe(0);
    clock.advance(60_000);
    expect(tokens.verify(token)).toEqual({ reason: 'token expired' });
    expect(tokens.cached()).toBe(1); // signed and well-formed: remembered, and still refused by time
    clock.advance(-1_000);
    expect(tokens.verify(token)).toMatchObject({ sub: 'agt_1' });
  });

  it('issues tokens jose verifies, and verifies tokens jose signs, the same claims either way', async () => {
    const { tokens, clock } = make();
    const { token, claims } = await tokens.issue('agt_1', 'aky_1', ['messages:read', 'messages:write']);
    const { payload, protectedHeader } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: 'fluxra-fake', currentDate: clock.now() });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({ scope: 'messages:read messages:write', key_id: 'aky_1', sub: 'agt_1', iss: 'fluxra-fake', iat: claims.iat, exp: claims.exp, jti: claims.jti });
    const byJose = await new SignJWT({ scope: 'messages:read', key_id: 'aky_2' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('agt_2')
      .setIssuer('fluxra-fake')
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.exp)
      .setJti('j2')
      .sign(key);
    expect(tokens.verify(byJose)).toEqual({ sub: 'agt_2', jti: 'j2', key_id: 'aky_2', scopes: ['messages:read'], iat: claims.iat, exp: claims.exp });
  });

  it('refuses what jose refuses: other algorithms, another issuer, a critical header, bad encodings', async () => {
    const { tokens, clock } = make();
    const iat = Math.floor(clock.now().getTime() / 1000);
    // Signed by hand (HMAC-SHA256 whatever the header says), so only the header or claims are wrong.
    const sign = async (header: Record<string, unknown>, claims: Record<string, unknown>) => {
      const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const input = `${part(header)}.${part({ key_id: 'k', jti: 'j', sub: 's', iss: 'fluxra-fake', iat, exp: iat + 60, ...claims })}`;
      return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
    };
    expect(tokens.verify(await sign({ alg: 'HS256' }, {}))).toMatchObject({ sub: 's' });
    expect(tokens.verify(await sign({ alg: 'HS512' }, {}))).toEqual({ reason: 'token algorithm not allowed' });
    expect(tokens.verify(await sign({ alg: 'HS256' }, { iss: 'someone-else' }))).toEqual({ reason: 'token malformed or invalid' });
    expect(tokens.verify(await sign({ alg: 'HS256', crit: ['exp'], exp: 1 }, {}))).toEqual({ reason: 'token malformed or invalid' });
    expect(tokens.verify(await sign({ alg: 'HS256' }, { exp: 'soon' }))).toEqual({ reason: 'token malformed or invalid' });
    expect(tokens.verify(await sign({ alg: 'HS256' }, { nbf: iat + 30 }))).toEqual({ reason: 'token not yet valid' });
    const good = (await tokens.issue('agt_1', 'aky_1', [])).token;
    expect(tokens.verify(`${good}.x`)).toEqual({ reason: 'token malformed or invalid' });
    expect(tokens.verify(good.replace('.', '.!'))).toEqual({ reason: 'token malformed or invalid' });
    expect(tokens.verify(`${Buffer.from('{"alg":"none"}').toString('base64url')}.${good.split('.')[1]}.`)).toEqual({ reason: 'token algorithm not allowed' });
  });
});

// A model of what a token's fate should be, against the fake over many random histories: whatever the
// order of uses, revocations, refreshes, clock moves and key revocations, a token the model says is dead
// is refused, and one it says is alive is accepted (so the cache neither lets a dead token through nor
// wrongly refuses a live one).
describe('token cache against a model', () => {
  type Step = { kind: 'use' | 'revoke' | 'refresh'; token: number } | { kind: 'advance'; seconds: number } | { kind: 'revokeKey' };
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 20, arbitrary: fc.record({ kind: fc.constant('use' as const), token: fc.nat(1) }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('revoke' as const), token: fc.nat(1) }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('refresh' as const), token: fc.nat(1) }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('advance' as const), seconds: fc.integer({ min: -700, max: 700 }) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'revokeKey' as const }) },
  );

  it('never accepts a revoked, spent or expired token and never refuses a live one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        // A frozen clock, so the model's seconds are the fake's.
        const start = Date.parse('2026-04-03T20:00:00Z') / 1000;
        ctx.restart({ tokenTtlSeconds: 600, clockStart: new Date(start * 1000) });
        const a = await ctx.actor();
        const clock = ctx.fake.state().clock;
        const issue = async () => (await ctx.req('post', '/api/auth/token').set('Authorization', basic(a.agentId, a.apiKey)).send({ grant_type: 'client_credentials' })).body.access_token as string;
        // The model: each token's expiry (seconds since start, on the tenant's clock) and whether it is spent.
        let now = 0;
        let keyRevoked = false;
        const tokens = [{ token: a.token, exp: 600, dead: false }];
        tokens.push({ token: await issue(), exp: 600, dead: false });
        const alive = (t: (typeof tokens)[number]) => !keyRevoked && !t.dead && now < t.exp;
        for (const s of steps) {
          if (s.kind === 'advance') {
            now += s.seconds;
            clock.set(new Date((start + now) * 1000));
            continue;
          }
          if (s.kind === 'revokeKey') {
            if (!keyRevoked) {
              const anyToken = tokens.find(alive);
              if (!anyToken) continue;
              expect((await ctx.as(anyToken.token, 'delete', `/api/agents/${a.agentId}/keys/${a.keyId}`)).status).toBe(204);
              keyRevoked = true;
            }
            continue;
          }
          const t = tokens[s.token];
          const path = s.kind === 'use' ? '/api/auth/whoami' : s.kind === 'revoke' ? '/api/auth/token/revoke' : '/api/auth/token/refresh';
          const res = await ctx.as(t.token, s.kind === 'use' ? 'get' : 'post', path);
          expect(res.status, `${s.kind} of token ${s.token} at ${now}s`).toBe(alive(t) ? (s.kind === 'revoke' ? 204 : 200) : 401);
          if (res.status === 401) continue;
          if (s.kind !== 'use') t.dead = true;
          // A refreshed token's place is taken by the new one, valid for the ttl from now.
          if (s.kind === 'refresh') tokens[s.token] = { token: res.body.access_token, exp: now + 600, dead: false };
        }
      }),
      { numRuns: 40 },
    );
    // 40 histories of up to 25 requests each: seconds on a quiet machine, far more on a loaded one.
  }, 180_000);
});
