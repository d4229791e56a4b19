// The vitest reporter of `fluxra-contract`: a progress line per test (redacted, with its verdict), and the
// results the CLI turns into the summary, JUnit and JSON. It runs in the CLI's process. The outcomes are
// taken twice: as each test ends (so a run stopped from outside still has what ran), and from vitest's
// final module list (which also holds the tests that never started, state "pending").
import type { Reporter, TestCase, TestModule, TestRunEndReason } from 'vitest/node';
import { CLEANUP_PREFIX } from './call.ts';
import { tierOf, type Tier } from './tiers.ts';
import { readMarks, type ContractMeta } from './marks.ts';

export interface TestOutcome {
  file: string;
  operation: string;
  name: string;
  fullName: string;
  tier: Tier | 'untiered';
  /** vitest's state; "pending": the test never started (the run ended first). */
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  /** The reason a test skipped itself (e.g. fake-only without a control plane). */
  note?: string;
  errors: string[];
  marks: ContractMeta;
  durationMs: number;
}

function toOutcome(test: TestCase, clean: (s: string) => string): TestOutcome {
  const result = test.result();
  const state = result.state === 'passed' || result.state === 'failed' || result.state === 'skipped' ? result.state : 'pending';
  const parts = test.fullName.split(' > ');
  const errors = (result.errors ?? []).map((e) => clean(String(e.message ?? e)));
  return {
    file: test.module.relativeModuleId,
    operation: parts.length > 1 ? parts[0] : '(none)',
    name: clean(test.name),
    fullName: clean(test.fullName),
    tier: tierOf(test.name) ?? 'untiered',
    state,
    note: result.state === 'skipped' && result.note ? clean(result.note) : undefined,
    errors,
    marks: readMarks(test.meta().fluxraContract, errors),
    durationMs: Math.round(test.diagnostic()?.duration ?? 0),
  };
}

export class ContractReporter implements Reporter {
  private readonly seen: TestOutcome[] = [];
  private final: TestOutcome[] | undefined;
  leftovers: string[] = [];
  unhandled: string[] = [];
  endReason: TestRunEndReason | undefined;

  /** `mark`: the progress mark of an outcome ("ok", "FAIL", "dev", ...), from the run's verdict rules. */
  constructor(
    private readonly write: (line: string) => void,
    private readonly clean: (text: string) => string,
    private readonly mark: (o: TestOutcome) => string | undefined,
  ) {}

  /** Every test known so far: vitest's final list once the run ended, else those that ended. */
  get outcomes(): TestOutcome[] {
    return this.final ?? this.seen;
  }

  onTestCaseResult(test: TestCase) {
    const outcome = toOutcome(test, this.clean);
    this.seen.push(outcome);
    const mark = this.mark(outcome);
    if (!mark) return;
    // The first line of a failure or deviation; a test that did not run has its reason in the summary.
    const why = outcome.state === 'failed' && !outcome.marks.notRun ? `\n       ${outcome.errors[0]?.split('\n')[0] ?? ''}` : '';
    this.write(`${mark.padEnd(4)} ${outcome.fullName}${why}`);
  }

  onUserConsoleLog(log: { content: string }) {
    for (const line of log.content.split('\n')) {
      if (line.startsWith(CLEANUP_PREFIX)) this.leftovers.push(this.clean(line.slice(CLEANUP_PREFIX.length).trim()));
    }
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<{ message?: string }>, reason: TestRunEndReason) {
    this.endReason = reason;
    for (const e of errors) this.unhandled.push(this.clean(String(e.message ?? e)));
    const all: TestOutcome[] = [];
    for (const m of modules) for (const t of m.children.allTests()) all.push(toOutcome(t, this.clean));
    // A module that never reported its tests (it failed to load) keeps what was seen of it.
    const files = new Set(all.map((o) => o.file));
    this.final = [...all, ...this.seen.filter((o) => !files.has(o.file))];
  }
}
