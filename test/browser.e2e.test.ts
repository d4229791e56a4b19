// Docs and dashboard in headless Chromium (playwright-core + the system's chromium): /docs renders
// openapi.yaml offline, and the dashboard shows, live, the agent, conversation and message that the
// Quickstart creates over HTTP. Screenshots go to artifacts/screenshots/ (gitignored).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFake, type RunningFake } from '../src/index.ts';

const SHOTS = join(import.meta.dirname, '..', 'artifacts', 'screenshots');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let fake: RunningFake;
let context: BrowserContext;
let userDataDir: string;
const offHost: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  fake = await startFake({ port: 0 });
  userDataDir = mkdtempSync(join(tmpdir(), 'fxchromium-'));
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: '/usr/bin/chromium', headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
  // Offline by construction: anything not on the fake's own origin is refused and recorded.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(fake.url) || url.startsWith('data:')) return route.continue();
    offHost.push(url);
    return route.abort();
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await fake?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

async function quickstart(url: string) {
  const post = async (path: string, headers: Record<string, string>, body: unknown) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
    expect(res.status, path).toBeLessThan(300);
    return res.json();
  };
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const agent = await post('/api/auth/register', {}, { agent_name: 'weather-bot', email: 'bot@example.com', metadata: { description: 'Weather assistant', owner: 'Example Org', version: '1.0.0' } });
  const key = await post(`/api/agents/${agent.agent_id}`, { Authorization: basic(agent.agent_id, agent.recovery_key) }, { name: 'cli', scopes: ['messages:read', 'messages:write', 'conversations:read'] });
  const token = await post('/api/auth/token', { Authorization: basic(agent.agent_id, key.api_key) }, { grant_type: 'client_credentials' });
  const bearer = { Authorization: `Bearer ${token.access_token}` };
  const conv = await post('/api/conversations', bearer, { type: 'group', name: 'Project Team', members: [] });
  await post('/api/messages', bearer, { conversation_id: conv.conversation_id, content: 'Hello from my first integration' });
  return { agentId: agent.agent_id as string };
}

describe('docs and dashboard in Chromium', () => {
  it('/docs renders every operation of openapi.yaml, offline and without the dialect warning', async () => {
    const page = await context.newPage();
    await page.goto(`${fake.url}/docs`);
    await page.waitForSelector('.opblock-summary-path');
    const paths = await page.locator('.opblock-summary-path').allTextContents();
    expect(paths.map((p) => p.replace(/\u200b/g, ''))).toEqual(expect.arrayContaining(['/api/auth/register', '/api/auth/token', '/api/messages', '/health']));
    expect(await page.locator('.swagger-ui .errors-wrapper').count()).toBe(0);
    expect(await page.content()).not.toContain('jsonSchemaDialect');
    await page.screenshot({ path: join(SHOTS, 'docs.png'), fullPage: false });
    await page.close();
  }, 30_000);

  it('the dashboard shows the Quickstart agent, conversation, message, journal and outbox live', async () => {
    const page = await context.newPage();
    await page.goto(`${fake.url}/__fake/ui`);
    await page.waitForSelector('#status:has-text("updated")');
    const { agentId } = await quickstart(fake.url);
    await expect.poll(() => page.locator('#agents').textContent(), { timeout: 10_000 }).toContain(agentId);
    await expect.poll(() => page.locator('#conversations').textContent(), { timeout: 10_000 }).toContain('Hello from my first integration');
    expect(await page.locator('#agents').textContent()).toContain('weather-bot');
    expect(await page.locator('#conversations').textContent()).toContain('Project Team');
    await expect.poll(() => page.locator('#journal').textContent(), { timeout: 10_000 }).toContain('sendMessage');
    expect(await page.locator('#outbox').textContent()).toContain('bot@example.com');
    await page.screenshot({ path: join(SHOTS, 'dashboard.png'), fullPage: true });
    await page.close();
    expect(offHost).toEqual([]);
  }, 30_000);
});
