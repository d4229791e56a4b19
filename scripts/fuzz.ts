// `npm run fuzz -- [--count N] [--time SECONDS] [--seed N]`: the fuzz run of test/fuzz.test.ts for as
// long as asked (default 20,000 requests, no time limit, a random seed), against one fake on loopback.
// A failure is shrunk by fast-check to a smallest failing case and saved under test/fuzz-regressions/,
// which `npm test` replays from then on; the exit code is 1. Prints the seed, so a run can be repeated.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { caseArb, type FuzzCase } from '../test/fuzz/arbitraries.ts';
import { createFuzzRun, operations, spec } from '../test/fuzz/harness.ts';

const { values } = parseArgs({ options: { count: { type: 'string' }, time: { type: 'string' }, seed: { type: 'string' } } });
const count = Number(values.count ?? 20_000);
const timeSeconds = values.time === undefined ? undefined : Number(values.time);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isInteger(count) || count < 1 || (timeSeconds !== undefined && !(timeSeconds > 0)) || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [--count N] [--time SECONDS] [--seed N]');
  process.exit(2);
}

const run = await createFuzzRun(seed);
let sent = 0;
const started = Date.now();
console.log(`fuzz: seed ${seed}, up to ${count} requests${timeSeconds ? ` or ${timeSeconds} s` : ''}, against ${run.fake.url}`);
const progress = setInterval(() => console.log(`  ${sent} requests, ${((Date.now() - started) / 1000).toFixed(0)} s`), 10_000).unref();
const details = await fc.check(
  fc.asyncProperty(caseArb(spec, operations), async (c) => {
    sent++;
    const { answer, problems } = await run.run(c);
    if (problems.length) throw new Error(`${c.operationId} ${answer.status}: ${problems.join('; ')}`);
  }),
  { seed, numRuns: count, ...(timeSeconds ? { interruptAfterTimeLimit: timeSeconds * 1000, markInterruptAsFailure: false } : {}) },
);
clearInterval(progress);
const invariants = await run.checkInvariants();
await run.close();
const seconds = (Date.now() - started) / 1000;

if (details.failed) {
  const cases = (details.counterexample ?? []) as FuzzCase[];
  const dir = join(import.meta.dirname, '..', 'test', 'fuzz-regressions');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `seed-${seed}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ seed, path: details.counterexamplePath, error: String(details.errorInstance), cases }, null, 2)}\n`);
  console.error(`fuzz: FAILED after ${details.numRuns} runs (${details.numShrinks} shrinks): ${String(details.errorInstance).split('\n')[0]}`);
  console.error(`  smallest failing case: ${JSON.stringify(cases)}`);
  console.error(`  saved as ${file} (npm test replays it); repeat with --seed ${seed}`);
  process.exit(1);
}
if (invariants.length) {
  console.error(`fuzz: the state's invariants broke after ${sent} requests (seed ${seed}):\n  ${invariants.join('\n  ')}`);
  process.exit(1);
}
console.log(`fuzz: passed, ${sent} requests in ${seconds.toFixed(1)} s (${(sent / seconds).toFixed(0)} req/s), seed ${seed}${details.interrupted ? ' (stopped at the time limit)' : ''}`);
