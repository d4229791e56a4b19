// `fluxra-contract` against deviant servers, each a separate process (test/deviant-inferred-servers.ts)
// in front of one fake process: a server that differs from openapi.yaml only where the spec made a choice
// the docs do not passes without --strict, its differences listed as deviations with the spec place; a
// server that breaks a documented rule fails, on the test that checks that rule. Runs go two at a time
// (each is a fluxra-contract process with one vitest worker, plus its proxy), so a loaded machine copes.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limiter, ready, ROOT, runContract, startFakeProcess, stop, type RunResult } from './contract-servers.ts';

const RUN_TIMEOUT = 600_000;
const dir = mkdtempSync(join(tmpdir(), 'fluxra-deviant-'));
let fake: Awaited<ReturnType<typeof startFakeProcess>>;

/** Deviant modes that break a documented rule, the rule, and the test that must catch it. */
const BREAKERS: [mode: string, rule: string, failing: string][] = [
  ['dropped-conversation-id', 'createConversation answers conversation_id', '[quickstart] creates a group conversation with the Quickstart key and body'],
  ['wrong-error-code', 'blocking a target twice is 409 CONFLICT', '[documented] blocking the same target twice is 409 CONFLICT'],
  ['missing-content-type', 'JSON answers say so (Content-Type)', '[quickstart] registers an agent and shows its id and recovery key'],
  ['content-limit-off-by-one', 'content up to 10000 characters', '[documented] content: 10000 characters are accepted, 10001 are 400'],
  ['wrong-default-scopes', 'the default scope set has four scopes', '[documented] omitted scopes give the default set of four'],
  ['unkept-block-delete', 'a deleted block leaves the list', '[documented] gone after delete: the block leaves the list'],
  ['local-timestamps', 'timestamps are RFC 3339 in UTC', '[quickstart] sends a message into a conversation the sender belongs to'],
  ['frozen-clock', 'the health timestamp is the current time', '[documented] timestamp is the current time in RFC 3339 UTC: it moves on between two calls'],
];

beforeAll(async () => {
  fake = await startFakeProcess();
  // Each run narrowed (--grep) to the tests its assertions read, to keep npm test short: the quickstart and
  // documented tests with each file's check of the inferred parts; a breaker, the test of its rule.
  const documentedAndInferredParts = ['--grep', '\\[(quickstart|documented)\\]|match the inferred parts of the spec too'];
  schedule('dropped', 'dropped-inferred-fields', documentedAndInferredParts);
  schedule('droppedStrict', 'dropped-inferred-fields', ['--strict', ...documentedAndInferredParts]);
  schedule('allowed', 'allowed-variations', ['--strict']);
  const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The unkept delete is also read back by the run's cleanup, which needs blocks that other tests leave behind.
  const grepOf = (mode: string, failing: string) => (mode === 'unkept-block-delete' ? '^(createBlock|deleteBlock) ' : literally(failing));
  for (const [mode, , failing] of BREAKERS) schedule(mode, mode, ['--tier', 'quickstart,documented', '--grep', grepOf(mode, failing)]);
}, 60_000);
afterAll(async () => {
  await Promise.allSettled(runs.values());
  await fake?.stop();
});

interface DeviantRun extends RunResult {
  json: { conforms: boolean; tests: { fullName: string; verdict: string; errors: string[] }[] } | undefined;
  rewritten: number;
  proxyStderr: string;
}

async function startDeviant(mode: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/deviant-inferred-servers.ts', mode, fake.url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  // The proxy says how many answers it rewrote when it exits; its stderr goes into a failing test's message.
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const { url } = await ready(child, `deviant ${mode}`);
  return {
    url,
    stop: async () => {
      await stop(child);
      return { rewritten: Number(/rewrote (\d+) answers/.exec(stdout)?.[1] ?? 0), stderr };
    },
  };
}

async function runAgainst(mode: string, args: string[]): Promise<DeviantRun> {
  const proxy = await startDeviant(mode);
  const file = join(dir, `${mode}${args.join('')}.json`);
  const result = await runContract(['--base-url', proxy.url, '--report', `json=${file}`, ...args]);
  const stopped = await proxy.stop();
  return { ...result, json: existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined, rewritten: stopped.rewritten, proxyStderr: stopped.stderr };
}

/** At most two runs at a time, all started in beforeAll; each test awaits its own. */
const slot = limiter(2);
const runs = new Map<string, Promise<DeviantRun>>();
function schedule(key: string, mode: string, args: string[]) {
  const run = slot(() => runAgainst(mode, args));
  run.catch(() => undefined); // awaited (and reported) by its test
  runs.set(key, run);
}
const run = (key: string) => () => runs.get(key)!;

const verdicts = (r: DeviantRun, verdict: string) => (r.json?.tests ?? []).filter((t) => t.verdict === verdict);
/** What a failing assertion shows: the run's own output and the proxy's stderr. */
const why = (r: DeviantRun) => `exit ${r.code}\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-1500)}\n--- proxy stderr\n${r.proxyStderr.slice(-500)}`;

describe('a server that differs only where openapi.yaml chose what the docs leave open', () => {
  const dropped = run('dropped');
  const droppedStrict = run('droppedStrict');

  it('inferred fields and headers dropped: conforms without --strict (every quickstart and documented test passes), the differences listed as deviations with their spec place', async () => {
    const r = await dropped();
    expect(r.rewritten, why(r)).toBeGreaterThan(0);
    expect(r.code, why(r)).toBe(0);
    expect(r.json?.conforms, why(r)).toBe(true);
    const documented = (r.json?.tests ?? []).filter((t) => /\[(quickstart|documented)\]/.test(t.fullName));
    expect(documented.length).toBeGreaterThan(20);
    expect(documented.filter((t) => t.verdict !== 'pass').map((t) => t.fullName), why(r)).toEqual([]);
    const deviations = verdicts(r, 'deviation');
    expect(deviations.length, why(r)).toBeGreaterThan(0);
    const perFile = deviations.filter((t) => t.fullName.includes('match the inferred parts of the spec too'));
    expect(perFile.length, 'the quickstart and documented tests\' misses are reported per file').toBeGreaterThan(0);
    const text = perFile.map((t) => t.errors.join('\n')).join('\n');
    expect(text).toContain('openapi.yaml#/components/schemas/Conversation/properties/created_at');
    expect(text).toContain('x-fluxra-inferred');
    expect(text).toContain('WWW-Authenticate');
  }, RUN_TIMEOUT);

  it('inferred fields dropped: with --strict the run fails', async () => {
    const r = await droppedStrict();
    expect(r.code, why(r)).toBe(1);
    expect(r.json?.conforms, why(r)).toBe(false);
    expect(verdicts(r, 'fail').length, why(r)).toBeGreaterThan(0);
    expect(verdicts(r, 'fail').every((t) => t.fullName.includes('[inferred]')), why(r)).toBe(true);
  }, RUN_TIMEOUT);

  // The spec states no member order, token_type is case-insensitive (RFC 6749 5.1), clients skip unknown
  // sync event types and RFC 3339 makes fractional seconds optional: a server doing all four does what the
  // spec allows, so it conforms even with --strict (and the health clock check waits out whole seconds).
  // (One server for the four keeps the run count down; the deviant script also has each mode alone.)
  it('members and object members in another order, token_type in lower case, sync events of a type the spec does not name, the health timestamp in whole seconds: conforms, even with --strict', async () => {
    const r = await run('allowed')();
    expect(r.rewritten, why(r)).toBeGreaterThan(0);
    expect(r.code, why(r)).toBe(0);
    expect(verdicts(r, 'fail').map((t) => t.fullName), why(r)).toEqual([]);
    expect(verdicts(r, 'deviation').map((t) => t.fullName), why(r)).toEqual([]);
  }, RUN_TIMEOUT);
});

describe('a server that breaks a documented rule fails, on the test of that rule', () => {
  for (const [mode, rule, failing] of BREAKERS) {
    it(`${mode} (${rule}): the run fails without --strict, on "${failing}"`, async () => {
      const r = await run(mode)();
      expect(r.rewritten, why(r)).toBeGreaterThan(0);
      expect(r.code, why(r)).toBe(1);
      expect(r.json?.conforms, why(r)).toBe(false);
      expect(verdicts(r, 'fail').map((t) => t.fullName).some((n) => n.includes(failing)), why(r)).toBe(true);
    }, RUN_TIMEOUT);
  }

  it('unkept-block-delete: the cleanup of the run is checked by reading the block list, and what stayed is reported', async () => {
    const r = await run('unkept-block-delete')();
    expect(r.stdout, why(r)).toMatch(/Not cleaned up \(\d+\):[\s\S]*still listed after its deletion/);
  }, RUN_TIMEOUT);
});
