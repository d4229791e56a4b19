// The README's client-test example, run for real. A client's suite would use the globalSetup in
// test/support/fluxra-global-setup.ts and `inject('fluxraUrl')`; this file calls the same setup itself
// (our vitest.config has no globalSetup), then runs the README's test body unchanged over HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import setup from './support/fluxra-global-setup.ts';

let baseUrl = '';
let teardown: () => Promise<void>;
beforeAll(async () => {
  teardown = await setup({ provide: (_key: string, value: string) => void (baseUrl = value) } as never);
});
afterAll(() => teardown());

// ---- README example starts here (there: `const baseUrl = inject('fluxraUrl');`) ----
// One tenant per test worker: workers share the fake without seeing each other's state.
const tenant = `worker-${process.env.VITEST_POOL_ID ?? '1'}`;
const headers = { 'Content-Type': 'application/json', 'X-Fluxra-Tenant': tenant };
const control = (path: string, body?: unknown) =>
  fetch(`${baseUrl}/__fake${path}`, { method: 'POST', headers, body: JSON.stringify(body ?? {}) }).then((r) => r.json());
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function getToken(agentId: string, apiKey: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/token`, {
    method: 'POST',
    headers: { ...headers, Authorization: basic(agentId, apiKey) },
    body: JSON.stringify({ grant_type: 'client_credentials' }),
  });
  expect(res.status).toBe(200);
  return (await res.json()).access_token;
}

describe('my client against the Fluxra fake', () => {
  beforeEach(async () => {
    await control('/reset');
    await control('/clock/freeze', { at: '2026-04-03T20:00:00Z' });
  });

  it('gets a new token when the old one expires', async () => {
    const seeded = await control('/seed', {
      agents: [{ ref: 'bot', agent_name: 'weather-bot', keys: [{ api_key: 'sk_test_weather_01', scopes: ['messages:read'] }] }],
    });
    const agentId = seeded.agents.bot.agent_id;
    const listBlocks = (token: string) => fetch(`${baseUrl}/api/blocks`, { headers: { ...headers, Authorization: `Bearer ${token}` } });

    const token = await getToken(agentId, 'sk_test_weather_01');
    expect((await listBlocks(token)).status).toBe(200);

    await control('/clock/advance', { seconds: 3601 }); // past the token's 1 h lifetime
    const expired = await listBlocks(token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer/);

    const renewed = await getToken(agentId, 'sk_test_weather_01'); // the API key outlives tokens
    expect((await listBlocks(renewed)).status).toBe(200);
  });
});
