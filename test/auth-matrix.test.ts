// The auth matrix: every protected operation of openapi.yaml, against every way credentials go wrong.
// Derived from the spec, so an operation added there joins the matrix without editing this file.
// Requests carry an empty body on purpose: credentials are checked before the body (openapi.yaml info).
import { SignJWT, UnsecuredJWT, decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createValidators } from '../src/spec/validators.ts';
import { basic, bearer } from '../contracts/lib/actors.ts';
import type { Operation } from '../src/spec/operations.ts';
import { setupFake } from './helpers.ts';

const { operations } = createValidators();
const protectedOps = operations.filter((op) => op.security.length > 0);
const schemeOf = (op: Operation) => op.security[0].schemes[0].name;
const scopesOf = (op: Operation) => op.security[0].schemes.flatMap((s) => s.scopes);

/** A path for the operation: agent_id is the caller's own; other ids are well-formed placeholders. */
function pathFor(op: Operation, agentId: string) {
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => (name === 'agent_id' ? agentId : `${name.split('_')[0]}_00000000-0000-4000-8000-000000000000`));
}

describe('auth matrix', async () => {
  const { fake, req, actor, violations } = setupFake();
  const me = await actor();
  const other = await actor();
  const call = (op: Operation, auth?: string, agentId = me.agentId) => {
    const test = req(op.method, pathFor(op, agentId)).set('Content-Type', 'application/json');
    if (auth !== undefined) test.set('Authorization', auth);
    return ['get', 'delete'].includes(op.method) ? test : test.send({});
  };
  const expect401 = (res: { status: number; body: any; headers: Record<string, string> }, scheme: string) => {
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    expect(res.headers['www-authenticate']).toMatch(scheme === 'bearerJwt' ? /^Bearer / : /^Basic /);
  };
  const secretFor = (op: Operation, who = me) => (schemeOf(op) === 'recoveryKeyBasic' ? who.recoveryKey : who.apiKey);

  it('covers every protected operation', () => {
    expect(protectedOps.length).toBeGreaterThanOrEqual(8);
  });

  describe.each(protectedOps.map((op) => [op.operationId, op] as const))('%s', (_id, op) => {
    const scheme = schemeOf(op);

    it('refuses a request without credentials (401, WWW-Authenticate)', async () => {
      expect401(await call(op), scheme);
    });

    it.each([['Token abc'], ['Basic'], ['Basic !!!notbase64'], [`Basic ${Buffer.from('no-colon').toString('base64')}`], ['Bearer'], ['Bearer a b']])(
      'refuses a malformed header %j',
      async (header) => expect401(await call(op, header), scheme),
    );

    it('refuses a wrong secret', async () => {
      const wrong = scheme === 'bearerJwt'
        ? bearer(await new SignJWT({ scope: me.scopes.join(' '), key_id: me.keyId }).setProtectedHeader({ alg: 'HS256' }).setSubject(me.agentId).setIssuer('fluxra-fake').setJti('x').setIssuedAt().setExpirationTime('1h').sign(new Uint8Array(32)))
        : basic(me.agentId, `${secretFor(op)}x`);
      expect401(await call(op, wrong), scheme);
    });

    it("refuses another agent's id with this agent's secret", async () => {
      if (scheme === 'bearerJwt') {
        // A Bearer token names its agent itself; on an operation owned by the path's agent
        // (x-fluxra-owner-param) another agent's token is 403.
        if (!op.ownerParam) return;
        const res = await call(op, bearer(other.token));
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
        return;
      }
      expect401(await call(op, basic(other.agentId, secretFor(op))), scheme);
    });

    it('refuses every credential kind the operation does not accept', async () => {
      const accepted = new Set(op.security.flatMap((alt) => alt.schemes.map((s) => s.name)));
      const kinds: Record<string, string> = { bearerJwt: bearer(me.token), apiKeyBasic: basic(me.agentId, me.apiKey), recoveryKeyBasic: basic(me.agentId, me.recoveryKey) };
      const refused = Object.entries(kinds).filter(([name]) => !accepted.has(name));
      expect(refused.length).toBeGreaterThan(0);
      for (const [, header] of refused) expect401(await call(op, header), scheme);
    });

    if (scheme === 'bearerJwt') {
      it('refuses an expired token', async () => {
        const clock = fake.state().clock;
        clock.advance(3601_000);
        try {
          expect401(await call(op, bearer(me.token)), scheme);
        } finally {
          clock.advance(-3601_000);
        }
      });

      it('refuses a tampered token (payload changed, signature kept)', async () => {
        const [h, , s] = me.token.split('.');
        const claims = { ...decodeJwt(me.token), sub: other.agentId };
        const tampered = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
        expect401(await call(op, bearer(tampered)), scheme);
      });

      it('refuses an unsigned token (alg: none)', async () => {
        const unsigned = new UnsecuredJWT({ ...decodeJwt(me.token) }).encode();
        expect401(await call(op, bearer(unsigned)), scheme);
      });

      const needed = scopesOf(op);
      if (needed.length) {
        it(`refuses a token without scope ${needed.join(', ')} (403)`, async () => {
          const scopes = ['messages:read', 'messages:write', 'conversations:read', 'presence:update'].filter((s) => !needed.includes(s));
          const weak = await actor({ scopes });
          const res = await call(op, bearer(weak.token), weak.agentId);
          expect(res.status).toBe(403);
          expect(res.body.error.code).toBe('FORBIDDEN');
          expect(res.body.error.message).toContain(needed[0]);
        });
      }
    }

    it('accepts good credentials (whatever the empty body then earns, never 401 or 403)', async () => {
      // A fresh agent: some operations (refresh, revoke, delete) rightly use up the credentials they get.
      const fresh = await actor();
      const res = await call(op, scheme === 'bearerJwt' ? bearer(fresh.token) : basic(fresh.agentId, secretFor(op, fresh)), fresh.agentId);
      expect([401, 403]).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
    });

    if (op.ownerParam) {
      it(`refuses a path ${op.ownerParam} other than the authenticated agent (403), before looking at the body`, async () => {
        const auth = scheme === 'bearerJwt' ? bearer(me.token) : basic(me.agentId, secretFor(op));
        const res = await call(op, auth, other.agentId);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      });
    }
  });

  it('kept every answer within the spec', () => {
    expect(violations).toEqual([]);
  });
});

describe('credentials that die', () => {
  it('refuses tokens and key exchange once the key is revoked, and everything once the agent is deleted', async () => {
    const { fake, req, actor } = setupFake();
    const me = await actor();
    const listKeys = (token: string) => req('get', `/api/agents/${me.agentId}`).set('Authorization', bearer(token));
    expect((await listKeys(me.token)).status).toBe(200);
    // Revocation and deletion have their own operations; here the stores are changed directly (no
    // request) to prove the verifiers consult them on every request.
    fake.state().stores.agents.revokeKey(me.keyId);
    expect((await listKeys(me.token)).status).toBe(401);
    const exchange = await req('post', '/api/auth/token').set('Authorization', basic(me.agentId, me.apiKey)).send({ grant_type: 'client_credentials' });
    expect(exchange.status).toBe(401);
    fake.state().stores.agents.markDeleted(me.agentId);
    const key = await req('post', `/api/agents/${me.agentId}`).set('Authorization', basic(me.agentId, me.recoveryKey)).send({ name: 'x' });
    expect(key.status).toBe(401);
  });

  it('refuses a token whose jti was revoked', async () => {
    const { fake, req, actor } = setupFake();
    const me = await actor();
    fake.state().stores.revocations.revoke(decodeJwt(me.token).jti!);
    const res = await req('get', `/api/agents/${me.agentId}`).set('Authorization', bearer(me.token));
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('token revoked');
  });
});
