// Actor factories: a fresh agent with an API key and a token, made only through the public API, so
// the same factories work against the in-process fake and against any live server.
import type { Test } from 'supertest';
import { call } from './call.ts';
import { basic } from './credentials.ts';
import { quoteBody } from './redact.ts';
import type { RequestFn } from './target.ts';

export type { RequestFn };

export { basic, bearer } from './credentials.ts';

export interface Actor {
  agentId: string;
  agentName: string;
  recoveryKey: string;
  keyId: string;
  apiKey: string;
  token: string;
  scopes: string[];
}

let counter = 0;
/** A recognisable, unique throwaway name: prefix + time + counter (agent_name allows [a-zA-Z0-9-]{3,50}). */
export function uniqueName(prefix = 'fxct') {
  return `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 6)}`.slice(0, 50);
}

function expectStatus(res: { status: number; body: unknown; text?: string }, allowed: number[], what: string) {
  if (!allowed.includes(res.status)) {
    throw new Error(`${what} answered ${res.status}: ${quoteBody(res.text || res.body, 300)}`);
  }
}

export interface ActorOptions {
  name?: string;
  email?: string;
  scopes?: string[];
  headers?: Record<string, string>;
}

export async function register(req: RequestFn, options: ActorOptions = {}) {
  const body: Record<string, unknown> = { agent_name: options.name ?? uniqueName() };
  if (options.email) body.email = options.email;
  const res = await withHeaders(req('post', '/api/auth/register'), options.headers).send(body);
  expectStatus(res, [200, 201], 'register');
  return { agentId: res.body.agent_id as string, recoveryKey: res.body.recovery_key as string, agentName: body.agent_name as string, res };
}

export async function createKey(req: RequestFn, agentId: string, recoveryKey: string, scopes?: string[], headers?: Record<string, string>) {
  const body: Record<string, unknown> = { name: 'contract' };
  if (scopes) body.scopes = scopes;
  const res = await withHeaders(req('post', `/api/agents/${agentId}`), headers).set('Authorization', basic(agentId, recoveryKey)).send(body);
  expectStatus(res, [200, 201], 'create API key');
  return { keyId: res.body.key_id as string, apiKey: res.body.api_key as string, scopes: res.body.scopes as string[], res };
}

export async function exchange(req: RequestFn, agentId: string, apiKey: string, headers?: Record<string, string>) {
  const res = await withHeaders(req('post', '/api/auth/token'), headers).set('Authorization', basic(agentId, apiKey)).send({ grant_type: 'client_credentials' });
  expectStatus(res, [200], 'token exchange');
  return { token: res.body.access_token as string, res };
}

/** Registers an agent, creates a key (default scopes unless given) and exchanges it for a token. */
export async function newActor(req: RequestFn, options: ActorOptions = {}): Promise<Actor> {
  const reg = await register(req, options);
  const key = await createKey(req, reg.agentId, reg.recoveryKey, options.scopes, options.headers);
  const tok = await exchange(req, reg.agentId, key.apiKey, options.headers);
  return { agentId: reg.agentId, agentName: reg.agentName, recoveryKey: reg.recoveryKey, keyId: key.keyId, apiKey: key.apiKey, token: tok.token, scopes: key.scopes };
}

function withHeaders(test: Test, headers?: Record<string, string>) {
  for (const [k, v] of Object.entries(headers ?? {})) test.set(k, v);
  return test;
}

// --- the contract suite's factories: the same steps through `call()`, so every precondition response is
// checked too and whatever is created is tracked for cleanup on a live target ---

/** Throwaway identities carry this prefix so an operator can recognise (and purge) them. */
export const CONTRACT_PREFIX = 'fxct';

/** `headers`: e.g. a private tenant's (fake-only tests, contracts/lib/control.ts). */
export async function contractActor(options: { scopes?: string[]; email?: string; headers?: Record<string, string> } = {}): Promise<Actor> {
  const { headers } = options;
  const agentName = uniqueName(CONTRACT_PREFIX);
  const reg = await call('registerAgent', { headers, body: options.email ? { agent_name: agentName, email: options.email } : { agent_name: agentName } });
  expectStatus({ status: reg.status, body: reg.body }, [200, 201], 'register');
  const { agent_id: agentId, recovery_key: recoveryKey } = reg.body as { agent_id: string; recovery_key: string };
  const keyBody: Record<string, unknown> = { name: 'contract' };
  if (options.scopes) keyBody.scopes = options.scopes;
  const key = await call('createApiKey', { headers, path: { agent_id: agentId }, auth: basic(agentId, recoveryKey), body: keyBody });
  expectStatus({ status: key.status, body: '(redacted)' }, [200, 201], 'create API key');
  const { key_id: keyId, api_key: apiKey, scopes } = key.body as { key_id: string; api_key: string; scopes: string[] };
  const tok = await call('exchangeToken', { headers, auth: basic(agentId, apiKey), body: { grant_type: 'client_credentials' } });
  expectStatus({ status: tok.status, body: '(redacted)' }, [200], 'token exchange');
  const token = (tok.body as { access_token: string }).access_token;
  return { agentId, agentName, recoveryKey, keyId, apiKey, token, scopes };
}
