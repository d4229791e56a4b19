// The contract kit's own tests: `fluxra-contract` as a child process, against the fake as a separate
// process, deviant servers as separate processes (test/deviant-servers.ts), nothing at all, or its own fake.
// A faithful server must conform; a broken one (5xx, no answer) must fail in every tier; a deviant one must
// fail on the test that catches it, or, for an inferred difference, be listed as a deviation with its spec
// place; a target that is not there or not the Fluxra API must end in one line, exit 2, within 5 s; a run
// that cannot finish (budget, Retry-After, SIGTERM, deadline) must say INCOMPLETE, exit 3 and still write
// its reports; no output or report may contain a secret or a URL's password.
//
// Each run narrows itself to the tests that matter (--tier, --grep) to stay cheap. The runs go two at a
// time (each is the CLI, a vitest worker and maybe a deviant server: a loaded 2-core machine must not be
// swamped), all queued at once so the file takes about half the sum of its runs. Each test only waits for
// its own run, with time enough for the queue ahead of it.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, limiter, runContract, startDeviantProcess, startFakeProcess, type RunResult } from './contract-servers.ts';

interface Run extends RunResult { json: any; junit: string; secrets: string[]; files: string[]; baselineMs?: number }

const dir = mkdtempSync(join(tmpdir(), 'fluxra-contract-'));
const slot = limiter(2);
/** Long enough for the runs queued ahead on a loaded machine; a hang still ends. */
const WAIT = 900_000;
let fake: Awaited<ReturnType<typeof startFakeProcess>>;
let fakeReady: Promise<void>;
const runs = new Map<string, Promise<Run>>();

interface Plan {
  /** A deviant server (test/deviant-servers.ts) in front of the fake, or a standalone one; none: `args` say the target. */
  server?: string;
  args: string[];
  /** Put the server's URL into the arguments (default: `--base-url URL`). */
  url?: (url: string) => string[];
  /** Reports to ask for (default: both). */
  reports?: boolean;
  onStdout?: Parameters<typeof runContract>[1];
  /** Time `fluxra-contract --version` just before: the cost of starting the program on this machine now. */
  baseline?: boolean;
}

/** Queues a run now; `run(name)` is its result. */
function plan(name: string, p: Plan) {
  runs.set(name, (async () => {
    await fakeReady;
    return slot(async () => {
      const json = join(dir, `${name}.json`);
      const junit = join(dir, `${name}.xml`);
      const secretsFile = join(dir, `${name}.secrets`);
      const standalone = p.server === 'listing' || p.server === 'not-found';
      const server = p.server ? await startDeviantProcess(p.server, standalone ? undefined : fake.url, secretsFile) : undefined;
      try {
        const baselineMs = p.baseline ? (await runContract(['--version'])).ms : undefined;
        const reports = p.reports === false ? [] : ['--report', `json=${json}`, '--report', `junit=${junit}`];
        const target = server ? (p.url ?? ((u: string) => ['--base-url', u]))(server.url) : [];
        // A busy machine must not fail the preflight of a server that answers (the preflight tests keep 4 s).
        const patience = p.baseline ? [] : ['--preflight-timeout', '120'];
        const result = await runContract([...target, ...reports, ...patience, ...p.args], p.onStdout);
        return {
          ...result,
          json: existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : undefined,
          junit: existsSync(junit) ? readFileSync(junit, 'utf8') : '',
          files: [json, junit].filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8')),
          secrets: server?.secrets() ?? [],
          baselineMs,
        };
      } finally {
        await server?.stop();
      }
    });
  })());
}
const run = (name: string) => runs.get(name)!;

/** What to show when a run's outcome is not the expected one: exit code, failing tests, stderr, the end of stdout. */
function why(r: RunResult & { json?: any }) {
  const failing = r.json?.tests?.filter((t: any) => t.verdict === 'fail').map((t: any) => `  ${t.fullName}: ${t.errors[0]?.split('\n')[0]}`) ?? r.stdout.split('\n').filter((l) => /^FAIL/.test(l));
  return [`exit ${r.code} after ${r.ms} ms`, 'failing tests:', ...failing.slice(0, 20), 'stderr:', r.stderr.slice(-2000), 'stdout (end):', r.stdout.slice(-2500)].join('\n');
}
const failing = (r: Run) => r.json.tests.filter((t: any) => t.verdict === 'fail');
const lines = (text: string) => text.trimEnd().split('\n').filter(Boolean);

const SECRET_PASSWORD = 'Pw-7f3k9Q2zLx-not-for-logs';
let refusedPort = 0;
let ownPort = 0;

beforeAll(async () => {
  fakeReady = startFakeProcess().then((f) => void (fake = f));
  [refusedPort, ownPort] = await Promise.all([freePort(), freePort()]);
  // Conformance
  plan('faithful', { server: 'faithful', args: [] });
  plan('prism', { server: 'faithful', args: ['--via-prism', '--tier', 'quickstart,documented'] });
  plan('rateLimited', { server: 'rateLimited', args: ['--tier', 'quickstart,documented', '--concurrency', '2'] });
  // Deviant servers
  plan('renamedField', { server: 'renamedField', args: ['--tier', 'documented', '--grep', '^createBlock '] });
  plan('changedStatus', { server: 'changedStatus', args: ['--tier', 'documented', '--grep', '^deleteBlock '] });
  plan('secretTwice', { server: 'secretTwice', args: ['--tier', 'documented', '--grep', '^listApiKeys '] });
  plan('droppedEnvelope', { server: 'droppedEnvelope', args: ['--tier', 'documented', '--grep', '^createBlock '] });
  plan('ignoredScope', { server: 'ignoredScope', args: ['--tier', 'inferred', '--strict', '--grep', '^sendMessage '] });
  plan('ignoredScopeLenient', { server: 'ignoredScope', args: ['--tier', 'inferred', '--grep', '^sendMessage '] });
  plan('secondDm', { server: 'secondDm', args: ['--tier', 'quickstart', '--grep', '^sendMessage '] });
  // Broken servers: failures in every tier
  plan('whoami500', { server: 'whoami500', args: ['--tier', 'inferred', '--grep', '^(getWhoami|revokeToken) '] });
  plan('sendMessage500', { server: 'sendMessage500', args: ['--tier', 'quickstart,documented', '--grep', '^sendMessage '] });
  // --timeout 5, not 1: on a loaded machine the other requests of the test must still make it in time.
  plan('hang', { server: 'whoamiHang', args: ['--tier', 'inferred', '--timeout', '5', '--grep', '^getWhoami '] });
  // Not there, or not the Fluxra API: preflight
  plan('nothingListening', { args: ['--base-url', `http://127.0.0.1:${refusedPort}`], baseline: true });
  plan('listing', { server: 'listing', args: [], baseline: true });
  plan('notFound', { server: 'not-found', args: [], baseline: true });
  plan('refusedLive', { args: ['--base-url', 'https://chat.tryfluxra.com'], reports: false });
  // Runs that cannot finish: incomplete, reports written anyway
  plan('retryAfter', { server: 'retryAfterHuge', args: [] });
  plan('budget', { args: ['--budget', '50', '--port', String(ownPort)] });
  plan('sigterm', {
    args: [],
    onStdout: (soFar, child) => {
      if ((soFar.match(/^ok /gm) ?? []).length >= 5 && child.exitCode === null && !child.killed) child.kill('SIGTERM');
    },
  });
  // The deadline comes while a request hangs (so the run cannot have ended before it, however fast the machine).
  plan('deadline', { server: 'whoamiHang', args: ['--deadline', '10', '--tier', 'inferred', '--grep', '^(getWhoami|revokeToken) '] });
  // Redaction of a URL's credentials, and of secrets that look like nothing in particular
  plan('opaqueTokens', { server: 'opaqueTokens', args: ['--tier', 'inferred', '--grep', '^getWhoami '] });
  plan('password', { server: 'faithful', args: ['--tier', 'quickstart', '--grep', '^registerAgent '], url: (u) => ['--base-url', u.replace('http://', `http://kit-basic-user:${SECRET_PASSWORD}@`)] });
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(runs.values());
  await fake?.stop();
});

describe('fluxra-contract against a faithful server', () => {
  it('passes with exit 0, writes JUnit and JSON, and covers every operation of the spec', async () => {
    const r = await run('faithful');
    expect(r.code, why(r)).toBe(0);
    expect(r.json.verdict).toBe('CONFORMS');
    expect(r.json.totals['not-run']).toBe(0);
    expect(r.junit).toContain('<testsuites name="fluxra-contract">');
    expect(r.junit).toContain('<testcase classname="sendMessage"');
    expect(r.json.coverage.operations.exercised).toBe(r.json.coverage.operations.total);
    expect(r.stdout).toMatch(/Spec coverage against .*: operations \d+\/\d+, documented statuses \d+\/\d+/);
    expect(r.stdout).toMatch(/\nCONFORMS: \d+ passed, 0 failed, 0 deviations, 0 not run, \d+ skipped \[exit 0\]/);
  }, WAIT);

  it('passes through Prism with no response violations', async () => {
    const r = await run('prism');
    expect(r.code, why(r)).toBe(0);
    const responseViolations = Object.values(r.json.prism as Record<string, { response: string[] }>).flatMap((v) => v.response);
    expect(responseViolations).toEqual([]);
    expect(r.stdout).toContain('Prism: no response violations');
  }, WAIT);

  it('waits out 429 Retry-After, retries, and still conforms (with --concurrency 2)', async () => {
    const r = await run('rateLimited');
    expect(r.code, why(r)).toBe(0);
    expect(r.json.requests.retriedAfter429).toBeGreaterThan(0);
  }, WAIT);
});

describe('fluxra-contract against deviant servers', () => {
  const cases: [string, string, string][] = [
    ['renamedField', 'createBlock > [documented] blocks an agent', '[schema]'],
    ['changedStatus', 'deleteBlock > [documented] gone after delete: the block leaves the list', '[status-documented]'],
    ['secretTwice', "listApiKeys > [documented] lists the agent's keys and never shows a secret", '[one-time-secret]'],
    ['droppedEnvelope', 'createBlock > [documented] blocking the same target twice is 409 CONFLICT', '[error-envelope]'],
    ['ignoredScope', 'sendMessage > [inferred] scope enforced: a token without messages:write is 403 FORBIDDEN', '[expected-status]'],
    ['secondDm', 'sendMessage > [quickstart] the DM shortcut finds the same 1:1 conversation every time, from either side', 'second shortcut message'],
  ];
  for (const [name, test, check] of cases) {
    it(`${name}: the run fails, on "${test}"`, async () => {
      const r = await run(name);
      expect(r.code, why(r)).toBe(1);
      const hit = failing(r).find((t: any) => t.fullName === test);
      expect(hit, why(r)).toBeDefined();
      expect(hit.errors.join('\n')).toContain(check);
    }, WAIT);
  }

  it('without --strict an inferred difference is a deviation, listed with the spec place that made the choice', async () => {
    const r = await run('ignoredScopeLenient');
    expect(r.code, why(r)).toBe(0);
    const test = 'sendMessage > [inferred] scope enforced: a token without messages:write is 403 FORBIDDEN';
    const dev = r.json.deviations.find((d: any) => d.test === test);
    expect(dev, JSON.stringify(r.json.deviations)).toBeDefined();
    expect(dev.spec).toBe('#/x-fluxra-inferred-defaults/scopes');
    expect(r.stdout).toContain('Differs from our inference');
    expect(r.stdout).toContain('spec: #/x-fluxra-inferred-defaults/scopes');
    expect(r.junit).toContain('differs from our inference (#/x-fluxra-inferred-defaults/scopes)');
  }, WAIT);
});

describe('fluxra-contract against broken servers: failures in every tier, never deviations', () => {
  it('a 500 on getWhoami fails the [inferred] tier without --strict (exit 1, no deviation)', async () => {
    const r = await run('whoami500');
    expect(r.code, why(r)).toBe(1);
    expect(r.json.deviations).toEqual([]);
    const whoami = failing(r).find((t: any) => t.operation === 'getWhoami');
    expect(whoami, why(r)).toBeDefined();
    expect(whoami.tier).toBe('inferred');
    expect(whoami.marks.hard.cause).toBe('server-error');
    for (const t of failing(r)) expect(t.errors[0]).toMatch(/-> 500/);
    expect(r.stdout).toMatch(/\nDOES NOT CONFORM: /);
  }, WAIT);

  it('a 500 on sendMessage fails the [quickstart] and [documented] tiers', async () => {
    const r = await run('sendMessage500');
    expect(r.code, why(r)).toBe(1);
    const tiers = new Set(failing(r).map((t: any) => t.tier));
    expect([...tiers].sort(), why(r)).toEqual(['documented', 'quickstart']);
  }, WAIT);

  it('an operation that never answers is a timeout failure (--timeout), in the [inferred] tier too', async () => {
    const r = await run('hang');
    expect(r.code, why(r)).toBe(1);
    expect(r.json.deviations).toEqual([]);
    expect(r.json.requests.timeouts).toBeGreaterThan(0);
    const whoami = failing(r).find((t: any) => t.operation === 'getWhoami');
    expect(whoami?.errors[0], why(r)).toContain('[timeout] getWhoami GET /api/auth/whoami: no answer within 5 s (--timeout)');
  }, WAIT);
});

describe('fluxra-contract preflight: one line, exit 2, within 5 s, no test run', () => {
  const cases: [string, RegExp][] = [
    ['nothingListening', /^fluxra-contract: http:\/\/127\.0\.0\.1:\d+ does not answer: connection refused/],
    ['listing', /^fluxra-contract: http:\/\/127\.0\.0\.1:\d+ does not look like the Fluxra API: GET \/health answered 200 text\/html/],
    ['notFound', /^fluxra-contract: http:\/\/127\.0\.0\.1:\d+ does not look like the Fluxra API: GET \/health answered 404 text\/html/],
  ];
  for (const [name, message] of cases) {
    it(name, async () => {
      const r = await run(name);
      expect(r.code, why(r)).toBe(2);
      expect(r.stdout).toBe('');
      expect(lines(r.stderr), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      // Within 5 s of the program being up, on a machine as fast as usual. The time of `--version` just
      // before (the same imports, no preflight; about 0.3 s when the machine is idle) is taken off, and a
      // machine k times slower than that right now gets k times the 5 s.
      const slower = Math.max(1, r.baselineMs! / 300);
      expect(r.ms! - r.baselineMs!, `ms from start to exit beyond starting the program (${r.ms} - ${r.baselineMs}; ${slower.toFixed(1)}x slower than idle)`).toBeLessThan(5_000 * slower);
      expect(r.json, 'no report: no test ran').toBeUndefined();
    }, WAIT);
  }

  it('refuses a non-loopback URL without --allow-live', async () => {
    const r = await run('refusedLive');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing to run against https://chat.tryfluxra.com');
  }, WAIT);
});

describe('fluxra-contract runs that cannot finish: INCOMPLETE, exit 3, reports written', () => {
  const incomplete = (r: Run) => {
    expect(r.code, why(r)).toBe(3);
    expect(r.json.verdict).toBe('INCOMPLETE');
    expect(r.json.totals['not-run']).toBeGreaterThan(0);
    expect(r.json.notRun.length).toBe(r.json.totals['not-run']);
    expect((r.junit.match(/<skipped message="not run: /g) ?? []).length).toBe(r.json.totals['not-run']);
    expect(r.stdout).toMatch(/\nINCOMPLETE: \d+ passed, 0 failed, 0 deviations, [1-9]\d* not run, \d+ skipped .*\[exit 3\]/);
  };

  it('a Retry-After of 999999 s stops the run with its reason', async () => {
    const r = await run('retryAfter');
    incomplete(r);
    expect(r.json.stopped).toBe('the target asked to wait 999999 s (Retry-After on registerAgent), beyond --max-retry-after 60 s');
    expect(r.json.requests.sent).toBeLessThan(10);
  }, WAIT);

  it('a budget too small: the rest is not run, every request counted (probes included), on the fake it started at --port', async () => {
    const r = await run('budget');
    incomplete(r);
    expect(r.stdout).toContain(`fluxra-contract: checking http://127.0.0.1:${ownPort} `);
    expect(r.json.requests.sent).toBe(50);
    expect(r.json.incomplete).toContain('the request budget of 50 was exhausted: requests were stopped');
    expect(r.json.notRun[0].reason).toContain('request budget exhausted');
  }, WAIT);

  it('SIGTERM mid-run: what ran is reported, the rest is not run', async () => {
    const r = await run('sigterm');
    incomplete(r);
    expect(r.json.stopped).toBe('SIGTERM received');
    expect(r.json.totals.pass).toBeGreaterThanOrEqual(5);
  }, WAIT);

  it('--deadline: the run stops at the deadline', async () => {
    const r = await run('deadline');
    incomplete(r);
    expect(r.json.stopped).toBe('the deadline of 10 s (--deadline) was reached');
  }, WAIT);
});

describe('fluxra-contract safety', () => {
  it('a password in --base-url appears nowhere: not in the banner, the coverage line, stdout, stderr or a report', async () => {
    const r = await run('password');
    expect(r.code, why(r)).toBe(0);
    expect(r.stdout).toMatch(/^fluxra-contract: checking http:\/\/127\.0\.0\.1:\d+ \(the credentials in --base-url are not sent and are redacted\)/);
    expect(r.files).toHaveLength(2);
    for (const text of [r.stdout, r.stderr, ...r.files]) {
      expect(text.includes(SECRET_PASSWORD), 'the password leaked').toBe(false);
      expect(text.includes('kit-basic-user'), 'the user name leaked').toBe(false);
    }
  }, WAIT);

  it('a token that is not a JWT, quoted back by the server in an error, is redacted in the difference it causes', async () => {
    const r = await run('opaqueTokens');
    expect(r.code, why(r)).toBe(0);
    const whoami = r.json.tests.find((t: any) => t.operation === 'getWhoami' && t.verdict === 'deviation');
    expect(whoami?.errors[0], why(r)).toContain('the token [REDACTED] is not valid here');
    expect(r.secrets.some((s) => s.startsWith('opq'))).toBe(true);
    for (const text of [r.stdout, r.stderr, ...r.files]) expect(text).not.toMatch(/opq[0-9a-f]{32}\./);
  }, WAIT);

  it('no output or report of any run contains a secret that run sent or received', async () => {
    const all = await Promise.all(runs.values());
    let checked = 0;
    for (const r of all) {
      for (const secret of r.secrets) {
        checked++;
        for (const text of [r.stdout, r.stderr, ...r.files]) expect(text.includes(secret), 'a secret leaked into an output').toBe(false);
      }
    }
    expect(checked).toBeGreaterThan(50);
  }, WAIT);
});

describe('fluxra-contract command line', () => {
  it('--help lists the flags and the exit codes; --version prints the package version', async () => {
    const help = await slot(() => runContract(['--help']));
    expect(help.code).toBe(0);
    for (const flag of ['--base-url', '--port', '--tier', '--grep', '--strict', '--report', '--budget', '--timeout', '--deadline', '--max-retry-after', '--preflight-timeout', '--version']) expect(help.stdout).toContain(flag);
    expect(help.stdout).toContain('Exit codes: 0 conforms, 1 does not conform');
    const version = await slot(() => runContract(['--version']));
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')).version);
  }, WAIT);

  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['--timeout', 'soon'], "option '--timeout <seconds>' argument 'soon' is invalid"],
    [['--budget', '0'], "option '--budget <n>' argument '0' is invalid"],
    [['--port', '70000'], "option '--port <port>' argument '70000' is invalid"],
    [['--base-url', 'http://127.0.0.1:1', '--port', '4010'], '--port is the port of the fake fluxra-contract starts itself'],
    [['--tier', 'nope'], 'unknown tier "nope"'],
    [['--report', 'html=x'], '--report expects junit=FILE or json=FILE'],
    [['stray'], 'too many arguments'],
    [['--grep', '(unclosed'], '--grep: Invalid regular expression'],
  ])('a usage error (%j) exits 2 with one line on stderr and no stack', async (args, message) => {
    const r = await slot(() => runContract(args));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`fluxra-contract: ${message}`);
    expect(r.stderr).toMatch(/\(see fluxra-contract --help\)\n$/);
    expect(lines(r.stderr), r.stderr).toHaveLength(1);
  }, WAIT);
});
