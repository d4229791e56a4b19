// Actor factories: a fresh agent with an API key and a token, made only through the public API, so
// the same factories work against the in-process fake and against any live server.
import type { Test } from 'supertest';

/** Starts a request against the target (in-process app or base URL): method and path only. */
export type RequestFn = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string) => Test;

export const basic = (agentId: string, secret: string) => `Basic ${Buffer.from(`${agentId}:${secret}`).toString('base64')}`;
export const bearer = (token: string) => `Bearer ${token}`;

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
    throw new Error(`${what} answered ${res.status}: ${res.text?.slice(0, 300) ?? JSON.stringify(res.body)}`);
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
