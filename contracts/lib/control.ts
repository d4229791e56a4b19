// The fake's control plane (`/__fake/*`), for `fake-only` tests and nothing else: reading the
// verification outbox, moving a tenant's clock, switching on rate limits. One HTTP path for both targets
// (the in-process app mounts the control plane too), so the same test body runs in process and over HTTP.
//
// Tests that change time or settings do it in a private tenant (`X-Fluxra-Tenant`), never in the default
// one: the suite's other files may share the fake process (`fluxra-contract --concurrency N`) and must not
// see their tokens expire or their requests rate limited. The tenant is dropped when the test is done.
//
// Over HTTP the control calls go to FLUXRA_CONTRACT_CONTROL_URL, set by the CLI to its governor, which
// sends `/__fake/*` straight to the target, never through Prism (they are not API operations), and counts
// them in the request budget like every other request of the run.
import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { target } from './target.ts';

export const TENANT_HEADER = 'X-Fluxra-Tenant';

export interface OutboxEmail {
  to: string;
  agent_id: string;
  code: string;
  sent_at: string;
  expires_at: string;
}

type Method = 'get' | 'post' | 'patch' | 'delete';

function controlRequest(method: Method, path: string, tenant?: string) {
  const t = target();
  const base = process.env.FLUXRA_CONTRACT_CONTROL_URL?.replace(/\/+$/, '') ?? t.url;
  const test = base ? request(base)[method](path) : t.req(method, path);
  return tenant ? test.set(TENANT_HEADER, tenant) : test;
}

async function send(method: Method, path: string, tenant: string | undefined, body?: unknown) {
  let test = controlRequest(method, path, tenant);
  if (body !== undefined) test = test.send(body as object);
  const res = await test.ok(() => true);
  expect(res.status, `control plane ${method.toUpperCase()} ${path}: ${res.text.slice(0, 200)}`).toBe(200);
  return res.body as unknown;
}

/** The verification emails sent to an agent, oldest first (tenant: where the agent lives). */
export async function outbox(agentId: string, tenant?: string): Promise<OutboxEmail[]> {
  const query = `?agent_id=${encodeURIComponent(agentId)}`;
  return ((await send('get', `/__fake/outbox${query}`, tenant)) as { emails: OutboxEmail[] }).emails;
}

/** The newest verification code sent to an agent. */
export async function lastEmail(agentId: string, tenant?: string): Promise<OutboxEmail> {
  const emails = await outbox(agentId, tenant);
  expect(emails.length, 'the outbox holds an email for the agent').toBeGreaterThan(0);
  return emails[emails.length - 1];
}

export interface PrivateTenant {
  name: string;
  /** Extra headers for `call()` and `contractActor()` so the requests act on this tenant. */
  headers: Record<string, string>;
  advanceClock(seconds: number): Promise<void>;
  updateSettings(patch: Record<string, unknown>): Promise<void>;
  outbox(agentId: string): Promise<OutboxEmail[]>;
  lastEmail(agentId: string): Promise<OutboxEmail>;
}

/** Runs `fn` in a fresh tenant of its own, dropped afterwards whatever the outcome. */
export async function inPrivateTenant(fn: (tenant: PrivateTenant) => Promise<void>) {
  const name = `fxct-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const tenant: PrivateTenant = {
    name,
    headers: { [TENANT_HEADER]: name },
    advanceClock: async (seconds) => void (await send('post', '/__fake/clock/advance', name, { seconds })),
    updateSettings: async (patch) => void (await send('patch', '/__fake/settings', name, patch)),
    outbox: (agentId) => outbox(agentId, name),
    lastEmail: (agentId) => lastEmail(agentId, name),
  };
  try {
    await fn(tenant);
  } finally {
    await controlRequest('delete', `/__fake/tenants/${name}`).ok(() => true);
  }
}
