// Spec coverage and the three report formats (console summary, JUnit XML, JSON), all built from one
// `RunReport`. Everything that leaves the process goes through the run's redactor (`clean`).
import type { Operation } from '../../src/spec/operations.ts';
import type { GovernorStats } from './governor.ts';
import { redactDeep } from './redact.ts';
import type { TestOutcome } from './reporter.ts';
import { countVerdicts, specPlace, verdictOf, type RunContext, type RunStatus, type Verdict } from './verdict.ts';

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
export type Coverage = ReturnType<typeof coverage>;

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

export interface JudgedTest extends TestOutcome {
  verdict: Verdict;
  /** Deviations: where openapi.yaml made the choice the target differs from. */
  specPlace?: { pointer: string; text?: string };
  /** Not run: why. */
  notRunReason?: string;
}

/** An extra block of the report (e.g. rule coverage): a JSON key, and console lines after the coverage. */
export interface ReportSection { key: string; json: unknown; lines: string[] }
/** Builds a section from the finished run; `undefined` leaves it out. */
export type SectionHook = (run: Omit<RunReport, 'sections'>) => ReportSection | undefined;

export interface RunReport {
  ctx: RunContext;
  tests: JudgedTest[];
  totals: Record<Verdict, number>;
  coverage: Coverage;
  stats: GovernorStats;
  status: RunStatus;
  notCleanedUp: string[];
  sections: ReportSection[];
  durationMs: number;
}

export function judge(outcomes: TestOutcome[], ctx: RunContext, operations: Operation[]): JudgedTest[] {
  return outcomes.map((t) => {
    const verdict = verdictOf(t, ctx);
    const judged: JudgedTest = { ...t, verdict };
    if (verdict === 'deviation') judged.specPlace = specPlace(t, operations);
    if (verdict === 'not-run') judged.notRunReason = t.marks.notRun ?? ctx.stopped ?? 'the run ended before this test ran';
    return judged;
  });
}

export function buildJson(r: RunReport, clean: (s: string) => string) {
  return redactDeep({
    target: r.ctx.target,
    live: r.ctx.live,
    strict: r.ctx.strict,
    viaPrism: r.ctx.viaPrism,
    verdict: r.status.verdict,
    conforms: r.status.verdict === 'CONFORMS',
    complete: r.status.incomplete.length === 0,
    exitCode: r.status.exitCode,
    problems: r.status.problems,
    incomplete: r.status.incomplete,
    stopped: r.ctx.stopped,
    durationMs: r.durationMs,
    totals: r.totals,
    tests: r.tests,
    failures: r.tests.filter((t) => t.verdict === 'fail').map((t) => t.fullName),
    deviations: r.tests.filter((t) => t.verdict === 'deviation').map((t) => ({ test: t.fullName, spec: t.specPlace?.pointer, difference: t.errors[0]?.split('\n')[0] ?? '' })),
    notRun: r.tests.filter((t) => t.verdict === 'not-run').map((t) => ({ test: t.fullName, reason: t.notRunReason })),
    coverage: r.coverage,
    requests: { sent: r.stats.sent, refusedOverBudget: r.stats.refused, retriedAfter429: r.stats.retried429, timeouts: r.stats.timeouts, unreachable: r.stats.unreachable },
    prism: r.ctx.viaPrism ? prismViolations(r.stats) : undefined,
    notCleanedUp: r.notCleanedUp,
    ...Object.fromEntries(r.sections.map((s) => [s.key, s.json])),
  }, clean);
}

export function buildJunit(r: RunReport, clean: (s: string) => string) {
  const xml = (s: string) => clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const files = [...new Set(r.tests.map((t) => t.file))];
  const suites = files.map((file) => {
    const tests = r.tests.filter((t) => t.file === file);
    const cases = tests.map((t) => {
      const head = `    <testcase classname="${xml(t.operation)}" name="${xml(t.name)}" time="${(t.durationMs / 1000).toFixed(3)}"`;
      switch (t.verdict) {
        case 'skipped': return `${head}><skipped${t.note ? ` message="${xml(t.note)}"` : ''}/></testcase>`;
        case 'not-run': return `${head}><skipped message="${xml(`not run: ${t.notRunReason ?? ''}`)}"/></testcase>`;
        case 'fail': return `${head}><failure message="${xml(t.errors[0]?.split('\n')[0] ?? 'failed')}">${xml(t.errors.join('\n\n'))}</failure></testcase>`;
        case 'deviation': return `${head}><system-out>${xml(`differs from our inference (${t.specPlace?.pointer ?? 'openapi.yaml'}): ${t.errors.join('\n')}`)}</system-out></testcase>`;
        default: return `${head}/>`;
      }
    });
    const failures = tests.filter((t) => t.verdict === 'fail').length;
    const skipped = tests.filter((t) => t.verdict === 'skipped' || t.verdict === 'not-run').length;
    return `  <testsuite name="${xml(file)}" tests="${tests.length}" failures="${failures}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="fluxra-contract">\n${suites.join('\n')}\n</testsuites>\n`;
}

const TIERS = ['quickstart', 'documented', 'inferred', 'fake-only', 'untiered'];
const COLUMNS: Verdict[] = ['pass', 'fail', 'deviation', 'skipped', 'not-run'];

export function consoleSummary(r: RunReport, clean: (s: string) => string) {
  const lines: string[] = [];
  const row = (cells: (string | number)[], widths: number[]) => cells.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join(' ');
  const w = [22, 6, 6, 10, 8, 8];
  lines.push('', 'By tier', row(['tier', ...COLUMNS], w));
  for (const tier of TIERS) {
    const v = countVerdicts(r.tests.filter((t) => t.tier === tier).map((t) => t.verdict));
    if (COLUMNS.some((c) => v[c])) lines.push(row([tier, ...COLUMNS.map((c) => v[c])], w));
  }
  lines.push('', 'By operation', row(['operation', ...COLUMNS, 'statuses seen / documented'], [...w, 30]));
  for (const op of r.coverage.perOperation) {
    const v = countVerdicts(r.tests.filter((t) => t.operation === op.operationId).map((t) => t.verdict));
    const statuses = `${op.seenStatuses.join(',') || '-'} / ${op.documentedStatuses.join(',')}`;
    lines.push(row([op.operationId, ...COLUMNS.map((c) => v[c]), statuses], [...w, 30]));
  }
  lines.push(
    '',
    `Spec coverage against ${r.ctx.target}: operations ${r.coverage.operations.exercised}/${r.coverage.operations.total}, documented statuses ${r.coverage.statuses.exercised}/${r.coverage.statuses.total}`,
  );
  if (r.coverage.uncovered.length) lines.push(`  uncovered operations: ${r.coverage.uncovered.join(', ')}`);
  for (const s of r.sections) lines.push(...s.lines);
  const s = r.stats;
  lines.push(`Requests: ${s.sent} sent, ${s.retried429} retried after 429, ${s.refused} refused over budget, ${s.timeouts} timed out, ${s.unreachable} unreachable`);
  if (r.ctx.viaPrism) {
    const bad = Object.entries(prismViolations(s)).filter(([, v]) => v.response.length);
    lines.push(`Prism: ${bad.length === 0 ? 'no response violations' : 'response violations:'}`);
    for (const [op, v] of bad) lines.push(`  ${op}: ${v.response.length} (${v.response.slice(0, 3).join(' | ')})`);
  }
  const deviations = r.tests.filter((t) => t.verdict === 'deviation');
  if (deviations.length) {
    lines.push('', `Differs from our inference (${deviations.length}; fails only with --strict):`);
    for (const d of deviations) lines.push(`  ${d.fullName}\n    spec: ${d.specPlace?.pointer ?? '-'}\n    ${d.errors[0]?.split('\n')[0] ?? ''}`);
  }
  const notRun = r.tests.filter((t) => t.verdict === 'not-run');
  if (notRun.length) {
    const byReason = new Map<string, number>();
    for (const t of notRun) byReason.set(t.notRunReason ?? '', (byReason.get(t.notRunReason ?? '') ?? 0) + 1);
    lines.push('', `Not run (${notRun.length}):`);
    for (const [reason, n] of byReason) lines.push(`  ${n}: ${reason}`);
  }
  if (r.notCleanedUp.length) {
    lines.push('', `Not cleaned up (${r.notCleanedUp.length}):`);
    const byReason = new Map<string, string[]>();
    for (const l of r.notCleanedUp) {
      const m = /^(\S+ \S+)(?: \((.+)\))?$/.exec(l);
      const reason = m?.[2] ?? 'delete failed';
      byReason.set(reason, [...(byReason.get(reason) ?? []), m?.[1] ?? l]);
    }
    for (const [reason, items] of byReason) lines.push(`  ${items.length} (${reason}): ${items.slice(0, 5).join(', ')}${items.length > 5 ? ', ... (all in the JSON report)' : ''}`);
  }
  const failures = r.tests.filter((t) => t.verdict === 'fail');
  if (failures.length) {
    lines.push('', 'Failures:');
    for (const f of failures) lines.push(`  ${f.fullName}\n    ${f.errors[0]?.split('\n').slice(0, 3).join('\n    ') ?? ''}`);
  }
  return lines.map(clean).join('\n');
}

/** The closing line: the verdict, the counts, and every reason behind it. */
export function closingLine(r: RunReport) {
  const t = r.totals;
  const reasons = [...r.status.problems, ...r.status.incomplete];
  const verdict = r.status.verdict === 'DOES NOT CONFORM' && r.status.incomplete.length ? 'DOES NOT CONFORM (and INCOMPLETE)' : r.status.verdict;
  return `${verdict}: ${t.pass} passed, ${t.fail} failed, ${t.deviation} deviations, ${t['not-run']} not run, ${t.skipped} skipped${reasons.length ? ` (${reasons.join('; ')})` : ''} [exit ${r.status.exitCode}]`;
}
