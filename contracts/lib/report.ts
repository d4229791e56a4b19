// Verdicts, spec coverage and the three report formats (console table, JUnit XML, JSON). Everything
// that leaves the process goes through redact().
import type { Operation } from '../../src/spec/operations.ts';
import type { GovernorStats } from './governor.ts';
import { redact, redactDeep } from './redact.ts';
import type { TestOutcome } from './reporter.ts';

export type Verdict = 'pass' | 'fail' | 'deviation' | 'skipped';

export interface RunContext {
  target: string;
  live: boolean;
  strict: boolean;
  viaPrism: boolean;
}

/** Against a live target an inferred failure is a deviation from our inference, unless --strict. */
export function verdictOf(t: TestOutcome, ctx: RunContext): Verdict {
  if (t.state === 'skipped') return 'skipped';
  if (t.state === 'passed') return 'pass';
  return t.tier === 'inferred' && ctx.live && !ctx.strict ? 'deviation' : 'fail';
}

export function coverage(operations: Operation[], stats: GovernorStats) {
  const perOp = operations.map((op) => {
    const documented = Object.keys(op.responses).filter((s) => /^\d{3}$/.test(s));
    const seen = [...new Set(stats.exchanges.filter((e) => e.operationId === op.operationId).map((e) => e.status))].sort();
    return {
      operationId: op.operationId,
      provenance: op.provenance,
      exercised: seen.length > 0,
      documentedStatuses: documented,
      seenStatuses: seen,
      coveredStatuses: documented.filter((s) => seen.includes(Number(s))),
      undocumentedStatuses: seen.filter((s) => !documented.includes(String(s))),
    };
  });
  const statusTotal = perOp.reduce((n, o) => n + o.documentedStatuses.length, 0);
  const statusCovered = perOp.reduce((n, o) => n + o.coveredStatuses.length, 0);
  return {
    operations: { exercised: perOp.filter((o) => o.exercised).length, total: perOp.length },
    statuses: { exercised: statusCovered, total: statusTotal },
    uncovered: perOp.filter((o) => !o.exercised).map((o) => o.operationId),
    perOperation: perOp,
  };
}

export function prismViolations(stats: GovernorStats) {
  const byOp: Record<string, { response: string[]; request: number }> = {};
  for (const ex of stats.exchanges) {
    for (const v of ex.violations) {
      const entry = (byOp[ex.operationId] ??= { response: [], request: 0 });
      if (v.location?.[0] === 'response' && v.severity === 'Error') entry.response.push(`${ex.status}: ${v.message ?? ''}`);
      else if (v.location?.[0] === 'request') entry.request++;
    }
  }
  return byOp;
}

export function buildJson(ctx: RunContext, outcomes: TestOutcome[], cov: ReturnType<typeof coverage>, stats: GovernorStats, extra: Record<string, unknown>) {
  const tests = outcomes.map((t) => ({ ...t, verdict: verdictOf(t, ctx) }));
  return redactDeep({
    target: ctx.target,
    live: ctx.live,
    strict: ctx.strict,
    viaPrism: ctx.viaPrism,
    conforms: extra.conforms,
    totals: countVerdicts(tests.map((t) => t.verdict)),
    tests,
    failures: tests.filter((t) => t.verdict === 'fail').map((t) => t.fullName),
    deviations: tests.filter((t) => t.verdict === 'deviation').map((t) => t.fullName),
    coverage: cov,
    requests: { sent: stats.sent, refusedOverBudget: stats.refused, retriedAfter429: stats.retried429 },
    prism: ctx.viaPrism ? prismViolations(stats) : undefined,
    ...extra,
  });
}

function countVerdicts(verdicts: Verdict[]) {
  const out: Record<Verdict, number> = { pass: 0, fail: 0, deviation: 0, skipped: 0 };
  for (const v of verdicts) out[v]++;
  return out;
}

const xml = (s: string) => redact(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function buildJunit(ctx: RunContext, outcomes: TestOutcome[]) {
  const files = [...new Set(outcomes.map((t) => t.file))];
  const suites = files.map((file) => {
    const tests = outcomes.filter((t) => t.file === file);
    const cases = tests.map((t) => {
      const verdict = verdictOf(t, ctx);
      const head = `    <testcase classname="${xml(t.operation)}" name="${xml(t.name)}" time="${(t.durationMs / 1000).toFixed(3)}"`;
      if (verdict === 'skipped') return `${head}><skipped/></testcase>`;
      if (verdict === 'fail') return `${head}><failure message="${xml(t.errors[0]?.split('\n')[0] ?? 'failed')}">${xml(t.errors.join('\n\n'))}</failure></testcase>`;
      if (verdict === 'deviation') return `${head}><system-out>${xml(`differs from our inference: ${t.errors.join('\n')}`)}</system-out></testcase>`;
      return `${head}/>`;
    });
    const failures = tests.filter((t) => verdictOf(t, ctx) === 'fail').length;
    const skipped = tests.filter((t) => t.state === 'skipped').length;
    return `  <testsuite name="${xml(file)}" tests="${tests.length}" failures="${failures}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="fluxra-contract">\n${suites.join('\n')}\n</testsuites>\n`;
}

export function consoleSummary(ctx: RunContext, outcomes: TestOutcome[], cov: ReturnType<typeof coverage>, stats: GovernorStats) {
  const lines: string[] = [];
  const tiers = ['quickstart', 'documented', 'inferred', 'fake-only', 'untiered'];
  const row = (cells: (string | number)[], widths: number[]) => cells.map((c, i) => String(c).padEnd(widths[i])).join(' ');
  const w = [22, 6, 6, 10, 8];
  lines.push('', 'By tier', row(['tier', 'pass', 'fail', 'deviation', 'skipped'], w));
  for (const tier of tiers) {
    const v = countVerdicts(outcomes.filter((t) => t.tier === tier).map((t) => verdictOf(t, ctx)));
    if (v.pass + v.fail + v.deviation + v.skipped) lines.push(row([tier, v.pass, v.fail, v.deviation, v.skipped], w));
  }
  lines.push('', 'By operation', row(['operation', 'pass', 'fail', 'deviation', 'skipped', 'statuses seen / documented'], [22, 6, 6, 10, 8, 30]));
  for (const op of cov.perOperation) {
    const v = countVerdicts(outcomes.filter((t) => t.operation === op.operationId).map((t) => verdictOf(t, ctx)));
    const statuses = `${op.seenStatuses.join(',') || '-'} / ${op.documentedStatuses.join(',')}`;
    lines.push(row([op.operationId, v.pass, v.fail, v.deviation, v.skipped, statuses], [22, 6, 6, 10, 8, 30]));
  }
  lines.push(
    '',
    `Spec coverage against ${redact(ctx.target)}: operations ${cov.operations.exercised}/${cov.operations.total}, documented statuses ${cov.statuses.exercised}/${cov.statuses.total}`,
  );
  if (cov.uncovered.length) lines.push(`  uncovered operations: ${cov.uncovered.join(', ')}`);
  lines.push(`Requests: ${stats.sent} sent, ${stats.retried429} retried after 429, ${stats.refused} refused over budget`);
  if (ctx.viaPrism) {
    const pv = prismViolations(stats);
    const bad = Object.entries(pv).filter(([, v]) => v.response.length);
    lines.push(`Prism: ${bad.length === 0 ? 'no response violations' : 'response violations:'}`);
    for (const [op, v] of bad) lines.push(`  ${op}: ${v.response.length} (${v.response.slice(0, 3).join(' | ')})`);
  }
  return lines.map(redact).join('\n');
}
