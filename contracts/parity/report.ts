// The report of a parity run, built once and rendered four ways (console, Markdown, HTML, JSON). It holds
// only normalised, redacted material: references, offsets and labels, never a raw id, secret or token.
import type { FakeProblem } from './compare.ts';
import type { KnownEntry } from './known.ts';
import type { RunResult } from './run.ts';
import type { Scenario } from './scenarios/index.ts';
import { CLASS_LABEL, type Difference, type DifferenceClass, type RecordedExchange } from './types.ts';

export interface ScenarioReport {
  name: string;
  title: string;
  covers: string;
  steps: { step: string; operationId: string; fake?: number; target?: number; differences: number }[];
  stopped: { fake?: string; target?: string };
  differences: Difference[];
  /** The two answers of every step that differs, for the side-by-side view. */
  exchanges: Record<string, { fake?: RecordedExchange; target?: RecordedExchange }>;
}

export interface ParityReport {
  tool: string;
  version: string;
  target: string;
  mode: 'live' | 'recording';
  started: string;
  finished: string;
  knownFile: string;
  ok: boolean;
  summary: string;
  totals: { scenarios: number; steps: number; differences: number; known: number; unknown: number; byClass: Record<DifferenceClass, number>; fakeProblems: number };
  scenarios: ScenarioReport[];
  fakeProblems: FakeProblem[];
  /** Known entries that matched nothing in this run. */
  noLongerSeen: KnownEntry[];
  problems: string[];
  notCleanedUp: string[];
  requests?: { sent: number; refused: number; retried429: number };
}

export interface ReportContext {
  version: string;
  target: string;
  mode: 'live' | 'recording';
  knownFile: string;
  scenarios: Scenario[];
  noLongerSeen: KnownEntry[];
  requests?: ParityReport['requests'];
}

export function buildReport(run: RunResult, ctx: ReportContext): ParityReport {
  const all = run.scenarios.flatMap((s) => s.differences);
  const unknown = all.filter((d) => !d.known);
  const byClass = Object.fromEntries(Object.keys(CLASS_LABEL).map((c) => [c, all.filter((d) => d.class === c).length])) as Record<DifferenceClass, number>;
  const scenarios = run.scenarios.map((s): ScenarioReport => {
    const steps = [...s.fake.exchanges.map((e) => e.step), ...s.target.exchanges.map((e) => e.step)].filter((v, i, a) => a.indexOf(v) === i);
    const f = new Map(s.fake.exchanges.map((e) => [e.step, e]));
    const t = new Map(s.target.exchanges.map((e) => [e.step, e]));
    const exchanges: ScenarioReport['exchanges'] = {};
    for (const d of s.differences) exchanges[d.step] ??= { fake: f.get(d.step), target: t.get(d.step) };
    return {
      name: s.name,
      title: s.title,
      covers: ctx.scenarios.find((x) => x.name === s.name)?.covers ?? '',
      steps: steps.map((step) => ({ step, operationId: (f.get(step) ?? t.get(step))!.operationId, fake: f.get(step)?.response.status, target: t.get(step)?.response.status, differences: s.differences.filter((d) => d.step === step).length })),
      stopped: { ...(s.fake.aborted ? { fake: `at "${s.fake.aborted.step ?? s.fake.aborted.afterStep}": ${s.fake.aborted.reason}` } : {}), ...(s.target.aborted ? { target: `at "${s.target.aborted.step ?? s.target.aborted.afterStep}": ${s.target.aborted.reason}` } : {}) },
      differences: s.differences,
      exchanges,
    };
  });
  const ok = unknown.length === 0 && run.problems.length === 0 && run.fakeProblems.length === 0;
  const parts: string[] = [];
  if (all.length === 0) parts.push('no differences');
  else parts.push(`${all.length} difference(s): ${unknown.length} unknown, ${all.length - unknown.length} known`);
  if (run.fakeProblems.length) parts.push(`${run.fakeProblems.length} problem(s) of the fake`);
  if (run.problems.length) parts.push(`incomplete run (${run.problems.length} problem(s))`);
  return {
    tool: 'fluxra-contract parity',
    version: ctx.version,
    target: ctx.target,
    mode: ctx.mode,
    started: run.started,
    finished: run.finished,
    knownFile: ctx.knownFile,
    ok,
    summary: `${ok ? 'PARITY' : 'NO PARITY'}: ${parts.join('; ')}`,
    totals: { scenarios: scenarios.length, steps: scenarios.reduce((n, s) => n + s.steps.length, 0), differences: all.length, known: all.length - unknown.length, unknown: unknown.length, byClass, fakeProblems: run.fakeProblems.length },
    scenarios,
    fakeProblems: run.fakeProblems,
    noLongerSeen: ctx.noLongerSeen,
    problems: run.problems,
    notCleanedUp: run.notCleanedUp,
    ...(ctx.requests ? { requests: ctx.requests } : {}),
  };
}

/** A fixed-width table for the console. */
export function table(header: string[], rows: string[][], max: number | number[] = 48): string {
  const limit = (i: number) => (Array.isArray(max) ? (max[i] ?? 48) : max);
  const cut = (s: string, i: number) => (s.length > limit(i) ? `${s.slice(0, limit(i) - 3)}...` : s);
  const cells = [header, ...rows].map((r) => r.map((c, i) => cut(c.replace(/\s+/g, ' '), i)));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => `  ${r.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  return [line(cells[0]), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

export const classLabel = (d: Difference) => `${d.known ? 'known: ' : ''}${CLASS_LABEL[d.class]}`;

export function consoleReport(r: ParityReport): string {
  const out: string[] = [''];
  for (const s of r.scenarios) {
    out.push(`${s.name}: ${s.title} (${s.steps.length} steps) - ${s.differences.length ? `${s.differences.length} difference(s), ${s.differences.filter((d) => !d.known).length} unknown` : 'no differences'}`);
    if (s.differences.length) {
      out.push(table(['step', 'where', 'what', 'fake', 'target', 'class'], s.differences.map((d) => [d.step, d.path, d.kind, d.fake, d.target, classLabel(d)]), [40, 40, 12, 40, 40, 60]));
    }
    for (const [side, why] of Object.entries(s.stopped)) out.push(`  stopped on the ${side} ${why}`);
    out.push('');
  }
  if (r.fakeProblems.length) {
    out.push(`Problems of the fake (bugs of ours, ${r.fakeProblems.length}):`, table(['scenario', 'step', 'where', 'problem'], r.fakeProblems.map((p) => [p.scenario, p.step, p.path, p.problem]), 80), '');
  }
  if (r.noLongerSeen.length) out.push(`Known differences no longer seen (${r.noLongerSeen.length}; drop them from ${r.knownFile}):`, ...r.noLongerSeen.map((e) => `  ${e.scenario} / ${e.step} / ${e.path}`), '');
  if (r.notCleanedUp.length) out.push(`Not cleaned up (${r.notCleanedUp.length}):`, ...r.notCleanedUp.map((l) => `  ${l}`), '');
  if (r.problems.length) out.push('Run problems:', ...r.problems.map((p) => `  ${p.split('\n')[0]}`), '');
  if (r.requests) out.push(`Requests to the target: ${r.requests.sent} sent, ${r.requests.refused} refused by the budget, ${r.requests.retried429} retried after 429.`);
  out.push(r.summary);
  return out.join('\n');
}
