// A browser client on another origin (issue 9, item 6), in headless Chromium (playwright-core and the
// system's chromium, as test/browser.e2e.test.ts): a page served by a tiny static server on another port
// calls the fake's API with fetch, so Chromium itself sends the CORS preflights (Authorization,
// Content-Type, X-Fluxra-Tenant) and enforces the answers; the same page cannot drive the control plane.
// The fake's app is served by a plain node:http server here only to see the OPTIONS requests arrive.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFake, type Fake } from '../src/index.ts';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let fake: Fake;
let api: Server;
let site: Server;
let apiUrl = '';
let pageUrl = '';
let context: BrowserContext;
let page: Page;
let userDataDir: string;
const preflights: IncomingHttpHeaders[] = [];

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));

beforeAll(async () => {
  fake = createFake();
  api = createServer((req, res) => {
    if (req.method === 'OPTIONS') preflights.push(req.headers);
    fake.app(req, res);
  });
  apiUrl = `http://127.0.0.1:${await listen(api)}`;
  // Another origin: another port (and another host name) than the API's.
  site = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>client</title><p>a web client</p>'));
  pageUrl = `http://localhost:${await listen(site)}/`;
  userDataDir = mkdtempSync(join(tmpdir(), 'fxchromium-cors-'));
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
  page = await context.newPage();
  await page.goto(pageUrl);
}, 60_000);

afterAll(async () => {
  await context?.close();
  await new Promise((r) => api?.close(r));
  await new Promise((r) => site?.close(r));
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

describe('a page on another origin', () => {
  it('runs the Quickstart against the API with fetch: preflights answered, bodies and error headers readable', async () => {
    const result = await page.evaluate(async (base) => {
      const tenant = { 'X-Fluxra-Tenant': 'browser' };
      const json = { 'Content-Type': 'application/json', ...tenant };
      const post = async (path: string, headers: Record<string, string>, body: unknown) => {
        const res = await fetch(`${base}${path}`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });
        return { status: res.status, body: await res.json() };
      };
      const agent = await post('/api/auth/register', {}, { agent_name: 'weather-bot' });
      const key = await post(`/api/agents/${agent.body.agent_id}`, { Authorization: `Basic ${btoa(`${agent.body.agent_id}:${agent.body.recovery_key}`)}` }, { name: 'cli' });
      const token = await post('/api/auth/token', { Authorization: `Basic ${btoa(`${agent.body.agent_id}:${key.body.api_key}`)}` }, { grant_type: 'client_credentials' });
      const bearer = { Authorization: `Bearer ${token.body.access_token}` };
      const conversation = await post('/api/conversations', bearer, { type: 'group', name: 'Project Team', members: [] });
      const sent = await post('/api/messages', bearer, { conversation_id: conversation.body.conversation_id, content: 'Hello from a browser' });
      const history = await fetch(`${base}/api/conversations/${conversation.body.conversation_id}/messages`, { headers: { ...bearer, ...tenant } });
      const denied = await fetch(`${base}/api/blocks`, { headers: { Authorization: 'Bearer nope', ...tenant } });
      return {
        statuses: [agent.status, key.status, token.status, conversation.status, sent.status, history.status],
        agentId: agent.body.agent_id as string,
        history: ((await history.json()).messages as { content: string }[]).map((m) => m.content),
        denied: { status: denied.status, code: (await denied.json()).error.code, wwwAuthenticate: denied.headers.get('www-authenticate') },
      };
    }, apiUrl);

    expect(result.statuses).toEqual([201, 201, 200, 201, 201, 200]);
    expect(result.history).toEqual(['Hello from a browser']);
    expect(result.denied).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(result.denied.wwwAuthenticate).toMatch(/^Bearer/); // exposed to scripts
    expect(fake.control.inspect({ tenant: 'browser' }).agents.map((a) => a.agent_id)).toEqual([result.agentId]);

    // Chromium asked first, from the page's origin, for the headers the client sends.
    expect(preflights.length).toBeGreaterThan(0);
    for (const p of preflights) expect(p.origin).toBe(pageUrl.replace(/\/$/, ''));
    const asked = preflights.map((p) => String(p['access-control-request-headers'] ?? '').split(',').sort().join(','));
    expect(asked).toContain('authorization,content-type,x-fluxra-tenant');
    expect(preflights.some((p) => p['access-control-request-method'] === 'POST')).toBe(true);
  }, 60_000);

  it('cannot drive the control plane: the preflight gets no CORS answer, a no-cors request is refused, nothing is reset', async () => {
    const state = () => {
      const { agents, conversations } = fake.control.inspect({ tenant: 'browser' });
      return { agents, conversations };
    };
    const before = state();
    expect(before.agents).toHaveLength(1);
    const result = await page.evaluate(async (base) => {
      const outcome = async (p: Promise<Response>) => p.then((r) => `status ${r.status}`, (e: Error) => `blocked: ${e.name}`);
      return {
        json: await outcome(fetch(`${base}/__fake/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Fluxra-Tenant': 'browser' }, body: '{}' })),
        read: await outcome(fetch(`${base}/__fake/inspect`, { headers: { 'X-Fluxra-Tenant': 'browser' } })),
        // What a page can send without a preflight; the answer is opaque to it, and the fake refuses it anyway.
        simple: await outcome(fetch(`${base}/__fake/reset`, { method: 'POST', mode: 'no-cors', body: '{"all":true}' })),
      };
    }, apiUrl);
    expect(result.json).toBe('blocked: TypeError');
    expect(result.read).toBe('blocked: TypeError');
    expect(result.simple).toBe('status 0'); // opaque
    expect(state()).toEqual(before);
  }, 60_000);
});
