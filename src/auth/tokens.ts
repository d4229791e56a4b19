// Access tokens: real HS256 JWTs (RFC 7519, JWS compact serialisation RFC 7515) signed and verified with
// node's own HMAC, synchronously. Claims: sub (agent_id), iat, exp, jti, scope (space-separated,
// RFC 9068 2.2.3) and key_id. Verification pins the algorithm, so `alg: none` and any other algorithm are
// refused, and checks expiry against the tenant's clock.
// Why not a JWT library on this path: jose (kept to cross-check these tokens in the tests) goes through
// WebCrypto, which imports the key and verifies asynchronously on every request: about a sixth of the
// fake's CPU under load. HS256 is one HMAC and a comparison; the rules jose applies are kept below.
// Verified tokens are remembered (token-cache.ts), so a token used again costs a Map lookup and the
// expiry check; what can end a token's life otherwise (revocation, its key, its agent) is checked by the
// verifier on every request (src/auth/verify.ts), cached or not.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Clock } from '../basics/clock.ts';
import { createTokenCache, TOKEN_CACHE_SIZE } from './token-cache.ts';

const ISSUER = 'fluxra-fake';
/** The protected header of every token issued, encoded once: it never changes. */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** Strict UTF-8, as jose decodes: a header or claims set with invalid bytes is malformed, not repaired. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

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
  /** Verified tokens remembered (default TOKEN_CACHE_SIZE); 0 turns the cache off. */
  cacheSize?: number;
}

export type Tokens = ReturnType<typeof createTokens>;

/** A token's claims once its signature and shape were checked; the time rules are checked at each use. */
type Verified = { claims: TokenClaims; nbf: number | undefined };
type Decoded = Verified | { reason: string };

const json = (part: string): unknown => {
  try {
    return JSON.parse(utf8.decode(Buffer.from(part, 'base64url')));
  } catch {
    return undefined;
  }
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalNumber = (v: unknown) => v === undefined || typeof v === 'number';
const epochSeconds = (clock: Clock) => Math.floor(clock.now().getTime() / 1000);

export function createTokens(deps: TokenDeps) {
  // The key as a KeyObject, made once per signing key (a restore that brings another key makes a new
  // one, and forgets every token verified with the old one).
  // The bytes are compared too (32 of them), so even a key changed in place cannot keep old entries.
  let keyRef: Uint8Array | undefined;
  let keyCopy = Buffer.alloc(0);
  let keyObject: KeyObject | undefined;
  const cache = createTokenCache<Verified>(deps.cacheSize ?? TOKEN_CACHE_SIZE);
  const currentKey = (): KeyObject => {
    const key = deps.key();
    if (key !== keyRef || !keyObject || !keyCopy.equals(key)) {
      keyRef = key;
      keyCopy = Buffer.from(key);
      keyObject = createSecretKey(keyCopy);
      cache.clear();
    }
    return keyObject;
  };
  const mac = (signingInput: string) => createHmac('sha256', currentKey()).update(signingInput).digest();

  /** A token this service signed, its claims checked for shape (not for time); the reason otherwise. */
  function decode(token: string): Decoded {
    const parts = token.split('.');
    if (parts.length !== 3 || !parts.every((p) => BASE64URL.test(p))) return { reason: 'token malformed or invalid' };
    const [protectedHeader, payload, signature] = parts;
    const header = json(protectedHeader);
    if (!isObject(header) || typeof header.alg !== 'string') return { reason: 'token malformed or invalid' };
    // RFC 7515 4.1.11: a critical extension this service does not implement makes the token invalid;
    // no token of this service has one (nor an unencoded payload, RFC 7797).
    if (header.crit !== undefined || header.b64 !== undefined) return { reason: 'token malformed or invalid' };
    if (header.alg !== 'HS256') return { reason: 'token algorithm not allowed' };
    const given = Buffer.from(signature, 'base64url');
    const expected = mac(`${protectedHeader}.${payload}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { reason: 'token signature invalid' };
    const claims = json(payload);
    if (!isObject(claims) || claims.iss !== ISSUER) return { reason: 'token malformed or invalid' };
    const { sub, jti, key_id, scope, iat, exp, nbf } = claims;
    if (!optionalNumber(iat) || !optionalNumber(nbf) || typeof exp !== 'number') return { reason: 'token malformed or invalid' };
    if (typeof sub !== 'string' || typeof jti !== 'string' || typeof key_id !== 'string') return { reason: 'token lacks required claims' };
    return {
      claims: { sub, jti, key_id, scopes: typeof scope === 'string' && scope ? scope.split(' ') : [], iat: (iat as number | undefined) ?? 0, exp },
      nbf: nbf as number | undefined,
    };
  }

  /** The time rules (RFC 7519 4.1.4, 4.1.5), against the tenant's clock, every time a token is used. */
  const timely = (decoded: Verified): TokenClaims | { reason: string } => {
    const now = epochSeconds(deps.clock);
    if (decoded.nbf !== undefined && decoded.nbf > now) return { reason: 'token not yet valid' };
    if (decoded.claims.exp <= now) return { reason: 'token expired' };
    return decoded.claims;
  };

  return {
    async issue(agentId: string, keyId: string, scopes: string[]) {
      const iat = epochSeconds(deps.clock);
      const exp = iat + deps.ttlSeconds();
      const jti = deps.newJti();
      // The claims in the order jose's SignJWT wrote them, so tokens stay byte for byte what they were.
      const payload = Buffer.from(JSON.stringify({ scope: scopes.join(' '), key_id: keyId, sub: agentId, iss: ISSUER, iat, exp, jti })).toString('base64url');
      const signingInput = `${HEADER}.${payload}`;
      const token = `${signingInput}.${mac(signingInput).toString('base64url')}`;
      return { token, claims: { sub: agentId, jti, key_id: keyId, scopes, iat, exp } satisfies TokenClaims };
    },

    /** Returns the claims, or a reason the token is refused. */
    verify(token: string): TokenClaims | { reason: string } {
      currentKey(); // a changed key empties the cache before it is read
      const cached = cache.get(token);
      if (cached) return timely(cached);
      const decoded = decode(token);
      if ('reason' in decoded) return decoded;
      cache.set(token, decoded);
      return timely(decoded);
    },

    /**
     * A token this service signed, whatever its expiry (token revocation accepts expired tokens as a no-op,
     * RFC 7009 2.2); undefined for anything else (bad signature, other algorithm, malformed).
     */
    inspect(token: string): (TokenClaims & { expired: boolean }) | undefined {
      const decoded = decode(token);
      if ('reason' in decoded) return undefined;
      return { ...decoded.claims, expired: decoded.claims.exp <= epochSeconds(deps.clock) };
    },

    /** Verified tokens currently remembered (tests). */
    cached: () => cache.size(),
  };
}
