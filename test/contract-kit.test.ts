// The contract kit's own tests: `fluxra-contract` as a child process against the fake as a separate
// process. A faithful server must pass (directly and through Prism); each deviant server must fail the
// run on the test that catches it; no output or report of any run may contain a secret it created.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviants, runContract, startFakeProcess, startProxy, type RunResult } from './contract-servers.ts';

interface Run extends RunResult { json: any; junit: string; secrets: string[] }

const dir = mkdtempSync(join(tmpdir(), 'fluxra-contract-'));
let fake: Awaited<ReturnType<typeof startFakeProcess>>;
const runs = new Map<string, Promise<Run>>();
const closers: (() => Promise<void>)[] = [];

/** Starts a run now (they go in parallel); tests await the one they assert on. */
function schedule(name: string, deviation: Parameters<typeof startProxy>[1] | undefined, args: string[]) {
  runs.set(name, (async () => {
    const proxy = await startProxy(fake.url, deviation);
    closers.push(proxy.close);
    const json = join(dir, `${name}.json`);
    const junit = join(dir, `${name}.xml`);
    const result = await runContract(['--base-url', proxy.url, '--report', `json=${json}`, '--report', `junit=${junit}`, ...args]);
    return {
      ...result,
      json: existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : undefined,
      junit: existsSync(junit) ? readFileSync(junit, 'utf8') : '',
      secrets: proxy.secrets(),
    };
  })());
}
const run = (name: string) => runs.get(name)!;

beforeAll(async () => {
  fake = await startFakeProcess();
  const d = deviants();
  schedule('faithful', undefined, []);
  schedule('renamedField', d.renamedField, ['--tier', 'documented']);
  schedule('changedStatus', d.changedStatus, ['--tier', 'documented']);
  schedule('secretTwice', d.secretTwice, ['--tier', 'documented']);
  schedule('droppedEnvelope', d.droppedEnvelope, ['--tier', 'documented']);
  schedule('ignoredScope', d.ignoredScope, ['--tier', 'inferred', '--strict']);
  schedule('ignoredScopeLenient', deviants().ignoredScope, ['--tier', 'inferred']);
  schedule('secondDm', d.secondDm, ['--tier', 'quickstart']);
  schedule('prism', undefined, ['--via-prism', '--tier', 'quickstart,documented']);
  schedule('rateLimited', d.rateLimited, ['--tier', 'quickstart,documented', '--concurrency', '2']);
  refused = runContract(['--base-url', 'https://chat.tryfluxra.com']);
  budgeted = runContract(['--base-url', fake.url, '--budget', '3', '--tier', 'quickstart']);
}, 60_000);
let refused: Promise<RunResult>;
let budgeted: Promise<RunResult>;

afterAll(async () => {
  await Promise.allSettled([...runs.values(), refused, budgeted]);
  for (const close of closers) await close();
  await fake?.stop();
});

const failing = (r: Run) => r.json.tests.filter((t: any) => t.verdict === 'fail');
/** What to show when a run's exit code is not the expected one: its failing tests, its last lines, its stderr. */
const why = (r: { stdout: string; stderr?: string }) =>
  [...r.stdout.split('\n').filter((l) => /^FAIL|^\s+\[/.test(l)), '...', r.stdout.slice(-1500), '--- stderr ---', (r.stderr ?? '').slice(-1500)].join('\n');

describe('fluxra-contract against a faithful server', () => {
  it('passes with exit 0, writes JUnit and JSON, and covers every operation of the spec', async () => {
    const r = await run('faithful');
    expect(r.code, why(r)).toBe(0);
    expect(r.json.conforms).toBe(true);
    expect(r.junit).toContain('<testsuites name="fluxra-contract">');
    expect(r.junit).toContain('<testcase classname="sendMessage"');
    expect(r.json.coverage.operations.exercised).toBe(r.json.coverage.operations.total);
    expect(r.stdout).toMatch(/Spec coverage against .*: operations \d+\/\d+, documented statuses \d+\/\d+/);
  }, 150_000);

  it('passes through Prism with no response violations', async () => {
    const r = await run('prism');
    expect(r.code, why(r)).toBe(0);
    const responseViolations = Object.values(r.json.prism as Record<string, { response: string[] }>).flatMap((v) => v.response);
    expect(responseViolations).toEqual([]);
    expect(r.stdout).toContain('Prism: no response violations');
  }, 150_000);
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
      const failed = failing(r);
      const hit = failed.find((t: any) => t.fullName === test);
      expect(hit, `failed tests: ${failed.map((t: any) => t.fullName).join(' | ')}`).toBeDefined();
      expect(hit.errors.join('\n')).toContain(check);
    }, 150_000);
  }

  it('without --strict an inferred deviation is reported, not failed', async () => {
    const r = await run('ignoredScopeLenient');
    expect(r.code, why(r)).toBe(0);
    expect(r.json.deviations).toContain('sendMessage > [inferred] scope enforced: a token without messages:write is 403 FORBIDDEN');
    expect(r.stdout).toContain('Differs from our inference');
  }, 150_000);
});

describe('fluxra-contract on a rate-limited server', () => {
  it('waits out 429 Retry-After, retries, and still conforms (with --concurrency 2)', async () => {
    const r = await run('rateLimited');
    expect(r.code, why(r)).toBe(0);
    const retried = Number(/Requests: \d+ sent, (\d+) retried after 429/.exec(r.stdout)?.[1]);
    expect(retried).toBeGreaterThan(0);
  }, 150_000);
});

describe('fluxra-contract safety', () => {
  it('no output or report of any run contains a secret that run created', async () => {
    const all = await Promise.all(runs.values());
    let checked = 0;
    for (const r of all) {
      const outputs = [r.stdout, r.stderr, r.junit, JSON.stringify(r.json ?? {})];
      for (const secret of r.secrets) {
        checked++;
        for (const text of outputs) expect(text.includes(secret), 'a secret leaked into an output').toBe(false);
      }
    }
    expect(checked).toBeGreaterThan(50);
  }, 150_000);

  it('refuses a non-loopback URL without --allow-live', async () => {
    const r = await refused;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing to run against https://chat.tryfluxra.com');
  }, 60_000);

  it('stops at the request budget and fails clearly', async () => {
    const r = await budgeted;
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the request budget of 3 was exhausted');
    expect(r.stdout).toMatch(/Requests: 3 sent/);
  }, 150_000);
});
