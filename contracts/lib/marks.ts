// What a worker tells the reporter about why a test ended, beyond pass/fail: the test "did not run"
// (budget spent, run stopped), or its failure is the server's fault whatever its tier (a 5xx, an
// unreachable target, no answer in time), never a difference from our inference. Carried two ways, so
// it survives whichever path an error takes: on the test's vitest meta (set by `call()`), and as a tag at
// the start of the error message (for errors thrown outside a test, e.g. in a hook).
import { TestRunner } from 'vitest';

export type HardCause = 'server-error' | 'unreachable' | 'timeout';

export interface ContractMeta {
  /** Why the test did not run to its end (it is "not run", not failed). */
  notRun?: string;
  /** The first exchange that makes a failure of this test a failure in every tier. */
  hard?: { cause: HardCause; detail: string };
}

declare module '@vitest/runner' {
  interface TaskMeta {
    fluxraContract?: ContractMeta;
  }
}

/** Thrown when a request was not sent because the run cannot go on: the budget or a stop. */
export class NotRun extends Error {
  constructor(readonly reason: string) {
    super(`[not-run] ${reason}`);
    this.name = 'NotRun';
  }
}

/** Thrown when the target could not be reached or did not answer in time. */
export class TransportFailure extends Error {
  constructor(readonly cause: Exclude<HardCause, 'server-error'>, detail: string) {
    super(`[${cause}] ${detail}`);
    this.name = 'TransportFailure';
  }
}

function meta(): ContractMeta | undefined {
  const test = TestRunner.getCurrentTest();
  if (!test) return undefined;
  return (test.meta.fluxraContract ??= {});
}

export function markNotRun(reason: string) {
  const m = meta();
  if (m && !m.notRun) m.notRun = reason;
}

export function markHard(cause: HardCause, detail: string) {
  const m = meta();
  if (m && !m.hard) m.hard = { cause, detail };
}

const NOT_RUN_TAG = /^\[not-run\] (.*)/;
const HARD_TAG = /^\[(unreachable|timeout)\] (.*)/;
/** A ContractViolation of a 5xx answer: "[check] op METHOD path -> 503: ...". */
const SERVER_ERROR = /^\[[a-z-]+\] \S+ [A-Z]+ \S+ -> (5\d\d):/;
/** vitest's own timeouts: the target was too slow for the test to finish. */
const TEST_TIMEOUT = /^(Test|Hook) timed out in \d+ms/;

/** Reads the marks back from a finished test: its meta first, then its error messages. */
export function readMarks(meta: ContractMeta | undefined, errors: string[]): ContractMeta {
  const out: ContractMeta = { ...meta };
  for (const e of errors) {
    const first = e.split('\n')[0];
    out.notRun ??= NOT_RUN_TAG.exec(first)?.[1];
    const hard = HARD_TAG.exec(first);
    if (hard) out.hard ??= { cause: hard[1] as HardCause, detail: hard[2] };
    const server = SERVER_ERROR.exec(first);
    if (server) out.hard ??= { cause: 'server-error', detail: first };
    if (TEST_TIMEOUT.test(first)) out.hard ??= { cause: 'timeout', detail: first };
  }
  return out;
}
