// Security verifiers, one per scheme named in openapi.yaml's components.securitySchemes. An operation's
// `security` list is tried in order (OpenAPI: alternatives are OR-ed); its scopes are then checked
// against the token (a missing scope is 403 FORBIDDEN, DESIGN 2).
import { forbidden, unauthorized } from '../http/errors.ts';
import type { Operation } from '../spec/operations.ts';
import type { TenantState } from '../state/tenant.ts';
import { parseAuthorization, type Credentials } from './credentials.ts';
import { verifyToken } from './tokens.ts';

export interface Principal {
  agentId: string;
  via: 'recoveryKeyBasic' | 'apiKeyBasic' | 'bearerJwt';
  scopes: string[];
  keyId?: string;
  jti?: string;
  exp?: number;
}

type Verifier = (state: TenantState, creds: Credentials) => Promise<Principal | string>;

const verifiers: Record<string, { challenge: 'Basic' | 'Bearer'; verify: Verifier }> = {
  recoveryKeyBasic: {
    challenge: 'Basic',
    async verify(state, creds) {
      if (creds.scheme !== 'basic') return 'expected Basic base64(agent_id:recovery_key)';
      const agent = state.stores.agents.checkRecoveryKey(creds.agentId, creds.secret);
      return agent ? { agentId: agent.agent_id, via: 'recoveryKeyBasic', scopes: [] } : 'invalid agent_id or recovery_key';
    },
  },
  apiKeyBasic: {
    challenge: 'Basic',
    async verify(state, creds) {
      if (creds.scheme !== 'basic') return 'expected Basic base64(agent_id:api_key)';
      const key = state.stores.agents.checkApiKey(creds.agentId, creds.secret);
      if (!key) return 'invalid, expired or revoked API key';
      key.last_used_at = state.clock.now();
      return { agentId: key.agent_id, via: 'apiKeyBasic', scopes: key.scopes, keyId: key.key_id };
    },
  },
  bearerJwt: {
    challenge: 'Bearer',
    async verify(state, creds) {
      if (creds.scheme !== 'bearer') return 'expected Authorization: Bearer <access_token>';
      const claims = await verifyToken(state, creds.token);
      if ('reason' in claims) return claims.reason;
      if (state.revokedJtis.has(claims.jti)) return 'token revoked';
      if (!state.stores.agents.get(claims.sub)) return 'agent no longer exists';
      if (!state.stores.agents.keyIsLive(claims.key_id)) return 'the API key behind this token was revoked';
      return { agentId: claims.sub, via: 'bearerJwt', scopes: claims.scopes, keyId: claims.key_id, jti: claims.jti, exp: claims.exp };
    },
  },
};

export const KNOWN_SCHEMES = Object.keys(verifiers);

/** Returns the principal, or undefined for a public operation; throws 401 or 403 as an ApiError. */
export async function authenticate(op: Operation, state: TenantState, header: string | undefined): Promise<Principal | undefined> {
  if (op.security.length === 0) return undefined;
  const creds = parseAuthorization(header);
  const firstChallenge = verifiers[op.security[0].schemes[0].name].challenge;
  if (creds.scheme === 'none') throw unauthorized('missing Authorization header', firstChallenge);
  if (creds.scheme === 'malformed') throw unauthorized(creds.reason, firstChallenge);
  let reason = 'invalid credentials';
  let lacking: string | undefined;
  for (const alternative of op.security) {
    let principal: Principal | undefined;
    for (const { name, scopes } of alternative.schemes) {
      const result = await verifiers[name].verify(state, creds);
      if (typeof result === 'string') {
        // With alternatives (Basic recovery key or Bearer), report why the credential's own scheme failed.
        if (reason === 'invalid credentials' || verifiers[name].challenge.toLowerCase() === creds.scheme) reason = result;
        principal = undefined;
        break;
      }
      const missing = scopes.find((s) => !result.scopes.includes(s));
      if (missing) {
        lacking = missing;
        principal = undefined;
        break;
      }
      principal = result;
    }
    if (principal) return principal;
  }
  if (lacking) throw forbidden(`token lacks scope ${lacking}`);
  throw unauthorized(reason, firstChallenge);
}

