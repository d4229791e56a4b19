// Security verifiers, one per scheme named in openapi.yaml's components.securitySchemes. An operation's
// `security` list is tried in order (OpenAPI: alternatives are OR-ed); its scopes are then checked
// against the credential (a missing scope is 403 FORBIDDEN, openapi.yaml: components.responses.Forbidden).
// Auth knows no store: what it needs of the tenant comes through the ports below (AuthPorts), which the
// tenant assembly (src/tenant/tenant.ts) fills from its stores.
import { forbidden, unauthorized, type ChallengeScheme } from '../errors.ts';
import { parseAuthorization, type Credentials } from './credentials.ts';
import type { Tokens } from './tokens.ts';

export interface Principal {
  agentId: string;
  via: 'recoveryKeyBasic' | 'apiKeyBasic' | 'bearerJwt';
  scopes: string[];
  keyId?: string;
  jti?: string;
  exp?: number;
}

/** What the verifiers ask of the tenant's state. */
export interface AuthPorts {
  /** The live agent whose recovery key this is. */
  checkRecoveryKey(agentId: string, secret: string): { agent_id: string } | undefined;
  /** The agent's usable API key matching the secret; its use is recorded (last_used_at). */
  useApiKey(agentId: string, secret: string): { key_id: string; agent_id: string; scopes: readonly string[] } | undefined;
  isLiveAgent(agentId: string): boolean;
  keyIsLive(keyId: string): boolean;
  isRevoked(jti: string): boolean;
  tokens: Pick<Tokens, 'verify'>;
}

/** One OpenAPI security requirement object: schemes that must all pass, each with the scopes it needs. */
export interface SecurityRequirement {
  schemes: { name: string; scopes: string[] }[];
}

// Synchronous: every check is a lookup, a hash or an HMAC (src/auth/tokens.ts), nothing to wait for.
type Verifier = (ports: AuthPorts, creds: Credentials) => Principal | string;

const verifiers: Record<string, { challenge: ChallengeScheme; verify: Verifier }> = {
  recoveryKeyBasic: {
    challenge: 'Basic',
    verify(ports, creds) {
      if (creds.scheme !== 'basic') return 'expected Basic base64(agent_id:recovery_key)';
      const agent = ports.checkRecoveryKey(creds.agentId, creds.secret);
      return agent ? { agentId: agent.agent_id, via: 'recoveryKeyBasic', scopes: [] } : 'invalid agent_id or recovery_key';
    },
  },
  apiKeyBasic: {
    challenge: 'Basic',
    verify(ports, creds) {
      if (creds.scheme !== 'basic') return 'expected Basic base64(agent_id:api_key)';
      const key = ports.useApiKey(creds.agentId, creds.secret);
      if (!key) return 'invalid, expired or revoked API key';
      return { agentId: key.agent_id, via: 'apiKeyBasic', scopes: [...key.scopes], keyId: key.key_id };
    },
  },
  bearerJwt: {
    challenge: 'Bearer',
    verify(ports, creds) {
      if (creds.scheme !== 'bearer') return 'expected Authorization: Bearer <access_token>';
      const claims = ports.tokens.verify(creds.token);
      if ('reason' in claims) return claims.reason;
      if (ports.isRevoked(claims.jti)) return 'token revoked';
      if (!ports.isLiveAgent(claims.sub)) return 'agent no longer exists';
      if (!ports.keyIsLive(claims.key_id)) return 'the API key behind this token was revoked';
      return { agentId: claims.sub, via: 'bearerJwt', scopes: claims.scopes, keyId: claims.key_id, jti: claims.jti, exp: claims.exp };
    },
  },
};

export const KNOWN_SCHEMES = Object.keys(verifiers);

/** Returns the principal, or undefined for a public operation; throws 401 or 403 as an ApiError. */
export function authenticate(security: SecurityRequirement[], ports: AuthPorts, header: string | undefined): Principal | undefined {
  if (security.length === 0) return undefined;
  const creds = parseAuthorization(header);
  const firstChallenge = verifiers[security[0].schemes[0].name].challenge;
  if (creds.scheme === 'none') throw unauthorized('missing Authorization header', firstChallenge);
  if (creds.scheme === 'malformed') throw unauthorized(creds.reason, firstChallenge);
  let reason = 'invalid credentials';
  let lacking: string | undefined;
  for (const alternative of security) {
    let principal: Principal | undefined;
    for (const { name, scopes } of alternative.schemes) {
      const result = verifiers[name].verify(ports, creds);
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
