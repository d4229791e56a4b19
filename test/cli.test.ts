// The CLI as a separate process: --help, the banner, request logs and --quiet, --no-control,
// --seed-file, and a clean exit (code 0) on SIGTERM.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'fluxra-fake.js');
const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the CLI on an ephemeral port and resolves once the banner is out. */
function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && out.includes('first call:')) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  return { child, ready, exited, output: () => out };
}

describe('fluxra-fake CLI', () => {
  it('--help lists every flag with its environment variable', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, '--help']);
    const flags: [string, string][] = [
      ['--port', 'PORT'], ['--host', 'HOST'], ['--token-ttl', 'FLUXRA_FAKE_TOKEN_TTL'], ['--seed ', 'FLUXRA_FAKE_SEED'],
      ['--seed-file', 'FLUXRA_FAKE_SEED_FILE'], ['--freeze-clock', 'FLUXRA_FAKE_FREEZE_CLOCK'], ['--max-tenants', 'FLUXRA_FAKE_MAX_TENANTS'],
      ['--journal-size', 'FLUXRA_FAKE_JOURNAL_SIZE'], ['--no-control', 'FLUXRA_FAKE_NO_CONTROL'], ['--plain-text-401', 'FLUXRA_FAKE_PLAIN_TEXT_401'], ['--quiet', 'FLUXRA_FAKE_QUIET'],
    ];
    const flat = stdout.replace(/\s+/g, ' ');
    for (const [flag, env] of flags) {
      expect(flat, flag).toContain(flag);
      expect(flat, env).toMatch(new RegExp(`${flag.trim()}(?:(?! -).)*?env: ${env}\\)`));
    }
  });

  it('prints the banner, logs one line per request, and exits 0 on SIGTERM', async () => {
    const fake = start([]);
    const url = await fake.ready;
    expect(fake.output()).toContain(`base URL:   ${url}`);
    expect(fake.output()).toContain(`docs:       ${url}/docs/`);
    expect(fake.output()).toContain(`dashboard:  ${url}/__fake/ui`);
    expect(fake.output()).toContain(`curl -s -X POST ${url}/api/auth/register`);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    await expect.poll(() => fake.output()).toMatch(/^GET \/health getHealth 200 [\d.]+ms$/m);
    fake.child.kill('SIGTERM');
    expect(await fake.exited).toBe(0);
    expect(fake.output()).toContain('SIGTERM, shutting down');
  });

  it('--quiet (or FLUXRA_FAKE_QUIET) silences the request log; --no-control makes /__fake/* a 404', async () => {
    const fake = start(['--no-control'], { FLUXRA_FAKE_QUIET: '1' });
    const url = await fake.ready;
    expect(fake.output()).toContain('control:    off');
    const res = await fetch(`${url}/__fake/clock`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route for GET /__fake/clock' } });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    fake.child.kill('SIGINT');
    expect(await fake.exited).toBe(0);
    expect(fake.output()).not.toMatch(/^GET /m);
  });

  it('--seed-file seeds known credentials at start (YAML)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fxseed-'));
    const file = join(dir, 'seed.yaml');
    writeFileSync(file, [
      'agents:',
      '  - ref: alice',
      '    agent_id: agt_0123456789abcdef0123456789abcdef',
      '    agent_name: alice-bot',
      '    keys:',
      '      - api_key: sk_alice_seeded_01',
      '',
    ].join('\n'));
    const fake = start(['--seed-file', file, '--quiet']);
    const url = await fake.ready;
    expect(fake.output()).toContain('seeded:     1 agent(s)');
    const res = await fetch(`${url}/api/auth/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('agt_0123456789abcdef0123456789abcdef:sk_alice_seeded_01').toString('base64')}`, 'Content-Type': 'application/json' },
      body: '{"grant_type":"client_credentials"}',
    });
    expect(res.status).toBe(200);
    fake.child.kill('SIGTERM');
    expect(await fake.exited).toBe(0);
  });

  it('refuses a seed file with a too-long secret, with a clear message and exit code 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fxseed-'));
    const file = join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify({ agents: [{ agent_name: 'long-bot', recovery_key: 'rk_much_too_long_for_base64' }] }));
    const fake = start(['--seed-file', file]);
    await expect(fake.ready).rejects.toThrow(/exited 1: .*57-byte limit/);
  });
});
