// The load scenarios of `npm run bench`: autocannon (programmatic) from this process, which run.ts pins
// to CPU 1, against a server pinned to CPU 0. Every server gets the same requests: credentials and ids
// are the fake's own (made over HTTP first), which Prism and the plain Express app accept as they are.
import autocannon from 'autocannon';

export interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  authorization?: string;
}

export interface LoadResult {
  reqPerSec: number;
  p50ms: number;
  p99ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

async function json(url: string, method: string, path: string, body?: unknown, authorization?: string) {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = (await res.json()) as any;
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(parsed)}`);
  return parsed;
}

/** Registers an agent on the fake as the Quickstart does and returns the four scenarios with its credentials. */
export async function scenariosFrom(fakeUrl: string): Promise<Scenario[]> {
  const reg = await json(fakeUrl, 'POST', '/api/auth/register', { agent_name: 'bench-bot' });
  const recovery = `Basic ${Buffer.from(`${reg.agent_id}:${reg.recovery_key}`).toString('base64')}`;
  const key = await json(fakeUrl, 'POST', `/api/agents/${reg.agent_id}`, { name: 'bench' }, recovery);
  const basicKey = `Basic ${Buffer.from(`${reg.agent_id}:${key.api_key}`).toString('base64')}`;
  const { access_token } = await json(fakeUrl, 'POST', '/api/auth/token', { grant_type: 'client_credentials' }, basicKey);
  const bearer = `Bearer ${access_token}`;
  const conv = await json(fakeUrl, 'POST', '/api/conversations', { type: 'group', name: 'bench', members: [] }, bearer);
  return [
    { name: 'POST /api/messages', method: 'POST', path: '/api/messages', body: { conversation_id: conv.conversation_id, content: 'benchmark message' }, authorization: bearer },
    { name: 'GET /health', method: 'GET', path: '/health' },
    { name: 'POST /api/auth/token', method: 'POST', path: '/api/auth/token', body: { grant_type: 'client_credentials' }, authorization: basicKey },
    // On the fake, after the sends above: the conversation then holds every message they stored.
    { name: 'GET history page (limit=50)', method: 'GET', path: `/api/conversations/${conv.conversation_id}/messages?limit=50`, authorization: bearer },
  ];
}

export async function load(url: string, s: Scenario, seconds: number, connections: number): Promise<LoadResult> {
  const r = await autocannon({
    url: url + s.path,
    method: s.method,
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...(s.authorization ? { authorization: s.authorization } : {}) },
    body: s.body === undefined ? undefined : JSON.stringify(s.body),
  });
  return { reqPerSec: Math.round(r.requests.average), p50ms: r.latency.p50, p99ms: r.latency.p99, requests: r.requests.total, non2xx: r.non2xx, errors: r.errors };
}
