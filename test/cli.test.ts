// The CLI as a separate process (the compiled one, bin/fluxra-fake.js -> dist/): --help, --version,
// usage errors (exit 2, one line), the banner, request logs and --quiet, --no-control, --no-cors,
// --seed-file, and a clean exit (code 0) on SIGTERM. Signals through npm: test/signals.test.ts.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
      ['--journal-size', 'FLUXRA_FAKE_JOURNAL_SIZE'], ['--no-control', 'FLUXRA_FAKE_NO_CONTROL'], ['--no-cors', 'FLUXRA_FAKE_NO_CORS'], ['--plain-text-401', 'FLUXRA_FAKE_PLAIN_TEXT_401'], ['--quiet', 'FLUXRA_FAKE_QUIET'],
    ];
    const flat = stdout.replace(/\s+/g, ' ');
    for (const [flag, env] of flags) {
      expect(flat, flag).toContain(flag);
      expect(flat, env).toMatch(new RegExp(`${flag.trim()}(?:(?! -).)*?env: ${env}\\)`));
    }
  });

  it('--version prints the package version and exits 0', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, '--version']);
    expect(stdout.trim()).toBe(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')).version);
  });

  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['--prot', '3'], "unknown option '--prot' (Did you mean --port?)"],
    [['--port', 'abc'], "option '-p, --port <port>' argument 'abc' is invalid"],
    [['--port'], "option '-p, --port <port>' argument missing"],
    [['--token-ttl', '0'], "option '--token-ttl <seconds>' argument '0' is invalid"],
    [['--freeze-clock', 'soon'], '--freeze-clock: "soon" is not an RFC 3339 instant'],
    [['--seed-file', '/nonexistent/seed.yaml'], 'cannot read --seed-file /nonexistent/seed.yaml'],
    [['serve'], 'too many arguments'],
  ])('a usage error (%j) exits 2 with one line on stderr and no stack', async (args, message) => {
    const err = await promisify(execFile)(process.execPath, [BIN, ...args]).then(() => undefined, (e: { code: number; stdout: string; stderr: string }) => e);
    expect(err, 'expected a non-zero exit').toBeDefined();
    expect(err!.code, err!.stderr).toBe(2);
    expect(err!.stdout).toBe('');
    expect(err!.stderr).toContain(`fluxra-fake: ${message}`);
    expect(err!.stderr).toMatch(/\(see fluxra-fake --help\)\n$/);
    expect(err!.stderr.trimEnd().split('\n'), err!.stderr).toHaveLength(1);
  });

  it('a bad value in an environment variable is a usage error too', async () => {
    const err = await promisify(execFile)(process.execPath, [BIN], { env: { ...process.env, PORT: '99999' } }).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toContain("value '99999' from env 'PORT' is invalid");
  });

  it('a port already taken fails at run time: exit 1, one line', async () => {
    const first = start(['--quiet']);
    const url = await first.ready;
    const port = new URL(url).port;
    const err = await promisify(execFile)(process.execPath, [BIN, '--port', port]).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^fluxra-fake: listen EADDRINUSE.*:\d+$/)]);
  });

  it('--no-cors (or FLUXRA_FAKE_NO_CORS) sends no CORS headers; by default any origin is allowed', async () => {
    const on = start(['--quiet']);
    const onUrl = await on.ready;
    const pre = await fetch(`${onUrl}/api/messages`, { method: 'OPTIONS', headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    const off = start(['--quiet'], { FLUXRA_FAKE_NO_CORS: '1' });
    const offUrl = await off.ready;
    expect(off.output()).toContain('cors:       off');
    const res = await fetch(`${offUrl}/health`, { headers: { Origin: 'http://localhost:3000' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
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
