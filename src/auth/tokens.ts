// Access tokens: real HS256 JWTs (RFC 7519) signed and verified with jose. Claims: sub (agent_id),
// iat, exp, jti, scope (space-separated, RFC 9068 2.2.3) and key_id. Verification pins the algorithm, so
// `alg: none` and any other algorithm are refused, and checks expiry against the tenant's clock.
import { SignJWT, compactVerify, jwtVerify, errors } from 'jose';
import type { Clock } from '../basics/clock.ts';

const ISSUER = 'fluxra-fake';

export interface TokenClaims {
  sub: string;
  jti: string;
  key_id: string;
  scopes: string[];
  iat: number;
  exp: number;
}

export interface TokenDeps {
  clock: Clock;
  /** The signing key, read on every use (a restored snapshot brings its own). */
  key(): Uint8Array;
  /** The access-token lifetime in seconds (a tenant setting). */
  ttlSeconds(): number;
  newJti(): string;
}

export type Tokens = ReturnType<typeof createTokens>;

export function createTokens(deps: TokenDeps) {
  return {
    async issue(agentId: string, keyId: string, scopes: string[]) {
      const iat = Math.floor(deps.clock.now().getTime() / 1000);
      const exp = iat + deps.ttlSeconds();
      const jti = deps.newJti();
      const token = await new SignJWT({ scope: scopes.join(' '), key_id: keyId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(agentId)
        .setIssuer(ISSUER)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .setJti(jti)
        .sign(deps.key());
      return { token, claims: { sub: agentId, jti, key_id: keyId, scopes, iat, exp } satisfies TokenClaims };
    },

    /** Returns the claims, or a reason the token is refused. */
    async verify(token: string): Promise<TokenClaims | { reason: string }> {
      try {
        const { payload } = await jwtVerify(token, deps.key(), {
          algorithms: ['HS256'],
          issuer: ISSUER,
          currentDate: deps.clock.now(),
          clockTolerance: 0,
        });
        if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.key_id !== 'string') {
          return { reason: 'token lacks required claims' };
        }
        return {
          sub: payload.sub,
          jti: payload.jti,
          key_id: payload.key_id,
          scopes: typeof payload.scope === 'string' && payload.scope ? payload.scope.split(' ') : [],
          iat: payload.iat ?? 0,
          exp: payload.exp ?? 0,
        };
      } catch (err) {
        if (err instanceof errors.JWTExpired) return { reason: 'token expired' };
        if (err instanceof errors.JOSEAlgNotAllowed) return { reason: 'token algorithm not allowed' };
        if (err instanceof errors.JWSSignatureVerificationFailed) return { reason: 'token signature invalid' };
        return { reason: 'token malformed or invalid' };
      }
    },

    /**
     * A token this service signed, whatever its expiry (token revocation accepts expired tokens as a no-op,
     * RFC 7009 2.2); undefined for anything else (bad signature, other algorithm, malformed).
     */
    async inspect(token: string): Promise<(TokenClaims & { expired: boolean }) | undefined> {
      try {
        const { payload: raw } = await compactVerify(token, deps.key(), { algorithms: ['HS256'] });
        const payload = JSON.parse(new TextDecoder().decode(raw)) as Record<string, unknown>;
        const { sub, jti, key_id, scope, iat, exp, iss } = payload;
        if (iss !== ISSUER || typeof sub !== 'string' || typeof jti !== 'string' || typeof key_id !== 'string' || typeof exp !== 'number') return undefined;
        return {
          sub,
          jti,
          key_id,
          scopes: typeof scope === 'string' && scope ? scope.split(' ') : [],
          iat: typeof iat === 'number' ? iat : 0,
          exp,
          expired: exp * 1000 <= deps.clock.now().getTime(),
        };
      } catch {
        return undefined;
      }
    },
  };
}
