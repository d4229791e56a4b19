// Schema-driven fuzzing in every test run (test/fuzz/): 5,000 requests from fast-check arbitraries
// derived from openapi.yaml, over every operation, with a fixed seed, against one fake on loopback.
// Every answer must be below 500, an error in the documented envelope, and conform to the operation's
// documented responses; afterwards the process answers and the state's invariants hold (no secret
// readable, membership, blocks and indexes consistent, every acknowledged write stored). Cases that
// `npm run fuzz` found failing once (shrunk, saved under test/fuzz-regressions/) are replayed first.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseArb, type FuzzCase } from './fuzz/arbitraries.ts';
import { createFuzzRun, operations, spec, type FuzzRun } from './fuzz/harness.ts';

const SEED = 20261202;
const RUNS = Number(process.env.FUZZ_RUNS ?? 5_000);
const REGRESSIONS = join(import.meta.dirname, 'fuzz-regressions');

let run: FuzzRun;
beforeAll(async () => {
  run = await createFuzzRun(SEED);
});
afterAll(() => run.close());

describe('fuzz: every operation of openapi.yaml, from its own schemas', () => {
  const saved = readdirSync(REGRESSIONS).filter((f) => f.endsWith('.json'));
  it.each(saved.length ? saved : ['(none saved)'])('replays the saved regression case %s', async (file) => {
    if (!file.endsWith('.json')) return;
    const { cases } = JSON.parse(readFileSync(join(REGRESSIONS, file), 'utf8')) as { cases: FuzzCase[] };
    for (const c of cases) expect((await run.run(c)).problems, JSON.stringify(c)).toEqual([]);
  });

  it(`answers ${RUNS} generated requests (seed ${SEED}) below 500, in the envelope and as documented; the state holds`, async () => {
    const seen = new Map<string, Set<number>>();
    await fc.assert(
      fc.asyncProperty(caseArb(spec, operations), async (c) => {
        const { answer, problems } = await run.run(c);
        if (!seen.has(c.operationId)) seen.set(c.operationId, new Set());
        seen.get(c.operationId)!.add(answer.status);
        if (problems.length) throw new Error(`${c.operationId} ${answer.status}: ${problems.join('; ')}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(await run.checkInvariants()).toEqual([]);
    // Every operation was reached, and reached past validation (a success) for most of them.
    expect([...seen.keys()].sort()).toEqual(operations.map((op) => op.operationId).sort());
    const succeeded = [...seen.values()].filter((statuses) => [...statuses].some((s) => s < 300)).length;
    expect(succeeded).toBeGreaterThan(operations.length * 0.8);
  }, 120_000);
});
