// Extra blocks of the report, after the spec coverage: each hook gets the finished run and returns a JSON
// key with its value and console lines (or nothing). Today one: the documented-rule coverage
// (contracts/lib/coverage.ts over contracts/rules.ts).
import { ruleCoverage, ruleCoverageLines } from './coverage.ts';
import type { SectionHook } from './report.ts';

/** A rule holds when every test that checks it passed; a deviation or a test not run establishes nothing. */
const ruleState = (verdict: string) => (verdict === 'fail' ? 'failed' : verdict === 'pass' ? 'passed' : 'skipped');

const rules: SectionHook = (run) => {
  const cov = ruleCoverage(run.tests.map((t) => ({ fullName: t.fullName, state: ruleState(t.verdict) })));
  return { key: 'rules', json: cov, lines: ruleCoverageLines(cov) };
};

export function reportSections(): SectionHook[] {
  return [rules];
}
