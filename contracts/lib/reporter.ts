// The vitest reporter of `fluxra-contract`: a progress line per test (redacted), and the results the
// CLI turns into the summary, JUnit and JSON. It runs in the CLI's process.
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { CLEANUP_PREFIX } from './call.ts';
import { tierOf, type Tier } from './contract.ts';
import { redact } from './redact.ts';

export interface TestOutcome {
  file: string;
  operation: string;
  name: string;
  fullName: string;
  tier: Tier | 'untiered';
  state: 'passed' | 'failed' | 'skipped';
  errors: string[];
  durationMs: number;
}

export class ContractReporter implements Reporter {
  outcomes: TestOutcome[] = [];
  leftovers: string[] = [];
  unhandled: string[] = [];
  constructor(private readonly write: (line: string) => void) {}

  onTestCaseResult(test: TestCase) {
    const result = test.result();
    const state = result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped';
    const parts = test.fullName.split(' > ');
    const outcome: TestOutcome = {
      file: test.module.relativeModuleId,
      operation: parts.length > 1 ? parts[0] : '(none)',
      name: redact(test.name),
      fullName: redact(test.fullName),
      tier: tierOf(test.name) ?? 'untiered',
      state,
      errors: (result.errors ?? []).map((e) => redact(String(e.message ?? e))),
      durationMs: Math.round(test.diagnostic()?.duration ?? 0),
    };
    this.outcomes.push(outcome);
    const mark = state === 'passed' ? 'ok  ' : state === 'failed' ? 'FAIL' : 'skip';
    this.write(`${mark} ${outcome.fullName}${state === 'failed' ? `\n       ${outcome.errors[0]?.split('\n')[0] ?? ''}` : ''}`);
  }

  onUserConsoleLog(log: { content: string }) {
    for (const line of log.content.split('\n')) {
      if (line.startsWith(CLEANUP_PREFIX)) this.leftovers.push(redact(line.slice(CLEANUP_PREFIX.length).trim()));
    }
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<{ message?: string }>) {
    for (const e of errors) this.unhandled.push(redact(String(e.message ?? e)));
  }
}
