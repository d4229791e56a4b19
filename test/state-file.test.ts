// Durable state (--state-file, src/control/state-file.ts) and shutdown. In process: what is loaded and
// saved, and files that are refused at start and left untouched. As real processes (the point of it):
// SIGTERM in the middle of a burst of sends loses no acknowledged message across a restart, and SIGKILL
// during saves leaves the last saved state intact.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { basic, bearer } from '../contracts/lib/actors.ts';
import { createFake, startFake } from '../src/index.ts';
import { killAll, startFakeProcess } from './support/fake-process.ts';

afterEach(killAll);
const dir = () => mkdtempSync(join(tmpdir(), 'fxstate-'));
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

/** An agent with a token and a group conversation, through the API. */
async function chatter(url: string) {
  const reg = await post(url, '/api/auth/register', { agent_name: 'durable-bot' });
  const key = await post(url, `/api/agents/${reg.body.agent_id}`, { name: 'k' }, { Authorization: basic(reg.body.agent_id, reg.body.recovery_key) });
  const token = (await post(url, '/api/auth/token', { grant_type: 'client_credentials' }, { Authorization: basic(reg.body.agent_id, key.body.api_key) })).body.access_token as string;
  const conv = (await post(url, '/api/conversations', { type: 'group', name: 'log', members: [] }, { Authorization: bearer(token) })).body.conversation_id as string;
  return { agentId: reg.body.agent_id as string, recoveryKey: reg.body.recovery_key as string, token, conv };
}

/** Every message id of a conversation, oldest first, walking all pages. */
async function history(url: string, token: string, conv: string) {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const res = await fetch(`${url}/api/conversations/${conv}/messages?order=asc&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { Authorization: bearer(token) } });
    const body = (await res.json()) as { messages: { message_id: string }[]; cursor: string; has_more: boolean };
    ids.push(...body.messages.map((m) => m.message_id));
    if (!body.has_more) return ids;
    cursor = body.cursor;
  }
}

describe('--state-file in process', { timeout: 60_000 }, () => {
  it('saves on close and loads at the next start: agents, tokens, messages, clock and every tenant', async () => {
    const file = join(dir(), 'state.json');
    const first = await startFake({ stateFile: file, stateSaveSeconds: 0 });
    expect(first.restoredState).toBeUndefined();
    const a = await chatter(first.url);
    await post(first.url, '/api/messages', { conversation_id: a.conv, content: 'kept' }, { Authorization: bearer(a.token) });
    await post(first.url, '/api/auth/register', { agent_name: 'other-bot' }, { 'X-Fluxra-Tenant': 'team-b' });
    await first.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = await startFake({ stateFile: file, seedData: { agents: [{ agent_name: 'skipped-bot' }] } });
    try {
      expect(second.restoredState?.tenants.sort()).toEqual(['default', 'team-b']);
      expect(second.seeded).toBeUndefined();
      expect(await history(second.url, a.token, a.conv)).toHaveLength(1);
      expect(second.control.inspect({ tenant: 'team-b' }).agents.map((x) => x.agent_name)).toEqual(['other-bot']);
      expect(second.control.inspect().agents.map((x) => x.agent_name)).toEqual(['durable-bot']);
    } finally {
      await second.close();
    }
  });

  it('saves on POST /__fake/snapshot/save and every stateSaveSeconds; 409 without a state file', async () => {
    const file = join(dir(), 'state.json');
    const fake = await startFake({ stateFile: file, stateSaveSeconds: 0.2 });
    try {
      await post(fake.url, '/api/auth/register', { agent_name: 'periodic-bot' });
      await expect.poll(() => existsSync(file), { timeout: 5_000 }).toBe(true);
      const saved = await post(fake.url, '/__fake/snapshot/save', {});
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ path: file, tenants: 1, bytes: statSync(file).size });
      expect(createFake({ stateFile: file }).control.inspect().agents.map((x) => x.agent_name)).toEqual(['periodic-bot']);
    } finally {
      await fake.close();
    }
    const none = createFake();
    await expect(none.control.saveState()).rejects.toMatchObject({ status: 409, code: 'CONFLICT' });
  });

  it('refuses a corrupt, truncated, foreign or empty file at start with a clear message, and leaves it as it was', async () => {
    const file = join(dir(), 'good.json');
    const fake = createFake({ stateFile: file });
    await fake.control.seed({ agents: [{ agent_name: 'good-bot' }] });
    await fake.control.saveState();
    const good = readFileSync(file);
    const body = good.indexOf(0x0a) + 1;
    const flipped = Buffer.from(good);
    flipped[body + 40] ^= 0x01;
    const cases: [string, Buffer | string, RegExp][] = [
      ['truncated', good.subarray(0, good.length - 50), /is truncated/],
      ['corrupt', flipped, /is corrupt/],
      ['foreign', '{"hello":"world"}\n{}', /is not a fluxra-fake state file/],
      ['snapshot', JSON.stringify(fake.control.snapshot()), /not a fluxra-fake state file|no state header/],
      ['empty', '', /is empty/],
      ['newer', good.toString().replace('"version":1', '"version":9'), /version 9/],
    ];
    for (const [name, content, message] of cases) {
      const path = join(dir(), `${name}.json`);
      writeFileSync(path, content);
      const before = sha(path);
      expect(() => createFake({ stateFile: path }), name).toThrow(message);
      expect(() => createFake({ stateFile: path })).toThrow(/refusing to start \(the file is left as it is/);
      expect(sha(path), name).toBe(before);
    }
  });

  it('refuses at start, as a process: exit 1, the reason on stderr, the file untouched', async () => {
    const path = join(dir(), 'broken.json');
    writeFileSync(path, '{"format":"fluxra-fake-state","version":1,"bytes":100,"sha256":"00"}\n{"tenants"');
    const before = sha(path);
    const fake = startFakeProcess(['--state-file', path]);
    await expect(fake.url).rejects.toThrow(/truncated/);
    expect(await fake.exited).toBe(1);
    expect(sha(path)).toBe(before);
  });
});

// Real processes, two starts each: generous time on a loaded machine.
describe('shutdown as a process', { timeout: 90_000 }, () => {
  it('SIGTERM in the middle of a burst of sends: every acknowledged message is there after a restart', async () => {
    const file = join(dir(), 'state.json');
    const first = startFakeProcess(['--state-file', file, '--state-interval', '0']);
    const url = await first.url;
    const a = await chatter(url);
    // Each send waits 200 ms inside the fake, so many are in flight when the signal comes.
    expect((await post(url, '/__fake/faults', { operation_id: 'sendMessage', delay_ms: 200, for_seconds: 3600 })).status).toBe(201);
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    const acked: string[] = [];
    let ackedAfterSignal = 0;
    let signalled = false;
    const send = (i: number) =>
      new Promise<void>((resolve) => {
        const body = JSON.stringify({ conversation_id: a.conv, content: `burst ${i}` });
        const req = httpRequest(`${url}/api/messages`, { method: 'POST', agent, headers: { Authorization: bearer(a.token), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => {
            if (res.statusCode === 201) {
              acked.push(JSON.parse(text).message_id);
              if (signalled) ackedAfterSignal++;
            }
            resolve();
          });
        });
        req.on('error', () => resolve());
        req.end(body);
      });
    const burst = (async () => {
      for (let round = 0; round < 20; round++) await Promise.all(Array.from({ length: 50 }, (_, i) => send(round * 50 + i)));
    })();
    await new Promise((r) => setTimeout(r, 700));
    signalled = true;
    first.child.kill('SIGTERM');
    await burst;
    agent.destroy();
    expect(await first.exited, first.stderr()).toBe(0);
    expect(acked.length).toBeGreaterThan(50);
    // Requests that were in flight when the signal came were answered, not reset.
    expect(ackedAfterSignal).toBeGreaterThan(0);

    const second = startFakeProcess(['--state-file', file]);
    const stored = await history(await second.url, a.token, a.conv);
    expect(new Set(stored).size).toBe(stored.length);
    expect(stored).toEqual(expect.arrayContaining(acked));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('SIGKILL while saving: the next start finds the last saved state intact', async () => {
    const file = join(dir(), 'state.json');
    const first = startFakeProcess(['--state-file', file, '--state-interval', '0.05']);
    const url = await first.url;
    const a = await chatter(url);
    for (let i = 0; i < 20; i++) await post(url, '/api/messages', { conversation_id: a.conv, content: `saved ${i}` }, { Authorization: bearer(a.token) });
    const saved = await post(url, '/__fake/snapshot/save', {});
    expect(saved.status).toBe(200);
    const savedIds = await history(url, a.token, a.conv);
    // Keep writing (and saving every 50 ms, and on request) while the process is killed.
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        await post(url, '/api/messages', { conversation_id: a.conv, content: `later ${i}`.repeat(20) }, { Authorization: bearer(a.token) }).catch(() => {});
        if (i % 5 === 0) await post(url, '/__fake/snapshot/save', {}).catch(() => {});
      }
    })();
    await new Promise((r) => setTimeout(r, 500));
    first.child.kill('SIGKILL');
    await first.exited;
    stop = true;
    await writer;

    const second = startFakeProcess(['--state-file', file]);
    const after = await history(await second.url, a.token, a.conv);
    expect(after.slice(0, savedIds.length)).toEqual(savedIds);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
