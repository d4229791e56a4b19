// Rule coverage of a run: of the rules the docs state (contracts/rules.ts), how many this run checked
// (every test that checks the rule ran) and how many held (all of them passed), beside the operation and
// status coverage of contracts/lib/report.ts.
import { isChecked, RULES, type Rule } from '../rules.ts';

export interface RuleOutcome {
  id: string;
  statement: string;
  state: 'held' | 'broken' | 'not run' | 'not checkable';
  tests: string[];
  reason?: string;
}

export interface RuleCoverage {
  documented: number;
  checkable: number;
  notCheckable: number;
  checked: number;
  held: number;
  broken: number;
  notRun: number;
  rules: RuleOutcome[];
}

interface Outcome {
  fullName: string;
  state: string;
}

function outcomeOf(rule: Rule, outcomes: Outcome[]): RuleOutcome {
  const base = { id: rule.id, statement: rule.statement, tests: rule.checkedBy ?? [] };
  if (!isChecked(rule)) return { ...base, state: 'not checkable', reason: rule.notCheckable };
  const runs = base.tests.map((name) => outcomes.find((o) => o.fullName === name));
  const ran = runs.filter((o): o is Outcome => Boolean(o) && o!.state !== 'skipped');
  if (ran.some((o) => o.state === 'failed')) return { ...base, state: 'broken' };
  if (ran.length < base.tests.length) return { ...base, state: 'not run', reason: rule.fakeOnlyBecause };
  return { ...base, state: 'held' };
}

export function ruleCoverage(outcomes: Outcome[]): RuleCoverage {
  const rules = RULES.map((r) => outcomeOf(r, outcomes));
  const count = (state: RuleOutcome['state']) => rules.filter((r) => r.state === state).length;
  return {
    documented: RULES.length,
    checkable: RULES.filter(isChecked).length,
    notCheckable: count('not checkable'),
    checked: count('held') + count('broken'),
    held: count('held'),
    broken: count('broken'),
    notRun: count('not run'),
    rules,
  };
}

/** The console block: the figure, then each broken or unchecked rule by id. */
export function ruleCoverageLines(cov: RuleCoverage): string[] {
  const lines = [
    `Documented rules: ${cov.checked}/${cov.documented} checked in this run (${cov.held} held, ${cov.broken} broken, ${cov.notRun} not run), ${cov.notCheckable} not checkable (contracts/rules.ts says why)`,
  ];
  for (const r of cov.rules.filter((x) => x.state === 'broken')) lines.push(`  broken: ${r.id}: ${r.statement}`);
  const notRun = cov.rules.filter((x) => x.state === 'not run');
  if (notRun.length) lines.push(`  not run: ${notRun.map((r) => r.id).join(', ')}`);
  return lines;
}
