// Verdicts of single tests and of the whole run, and the exit codes. The rules (README, "Verdicts"):
// - a failure caused by a 5xx, an unreachable target or no answer in time fails in every tier;
// - a test that did not run to its end (budget spent, run stopped by a signal, the deadline or a long
//   Retry-After) is "not run", never passed, failed or a deviation, and makes the run incomplete;
// - any other failure of an [inferred] test against a live target is a deviation (a failure with --strict),
//   listed with the place in openapi.yaml that made the inferred choice.
import type { Operation } from '../../src/spec/operations.ts';
import type { TestOutcome } from './reporter.ts';

export type Verdict = 'pass' | 'fail' | 'deviation' | 'skipped' | 'not-run';
export const VERDICTS: Verdict[] = ['pass', 'fail', 'deviation', 'skipped', 'not-run'];

export const EXIT = { conforms: 0, doesNotConform: 1, usage: 2, incomplete: 3 } as const;

export interface RunContext {
  /** The target as it may be shown (no credentials). */
  target: string;
  live: boolean;
  strict: boolean;
  viaPrism: boolean;
  /** Whether a test is selected by --tier and --grep (unselected tests are skipped, not "not run"). */
  selected: (t: { operation: string; name: string }) => boolean;
  /** Why the run was stopped before its end, if it was. */
  stopped?: string;
}

export function verdictOf(t: TestOutcome, ctx: RunContext): Verdict {
  if (t.state === 'passed') return 'pass';
  if (t.state === 'failed') {
    if (t.marks.hard) return 'fail';
    if (t.marks.notRun) return 'not-run';
    return t.tier === 'inferred' && ctx.live && !ctx.strict ? 'deviation' : 'fail';
  }
  // vitest's own note on the tests it skipped because the run was cancelled.
  const cancelled = Boolean(ctx.stopped && t.note && /aborted|cancel/i.test(t.note));
  // Skipped on purpose (fake-only without a control plane) or not selected by --tier: skipped.
  if ((t.note && !cancelled) || !ctx.selected(t)) return 'skipped';
  // Selected, and never started or cut short by a stop.
  return t.state === 'pending' || ctx.stopped ? 'not-run' : 'skipped';
}

export function countVerdicts(verdicts: Verdict[]) {
  const out = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const v of verdicts) out[v]++;
  return out;
}

/** The place in openapi.yaml behind an inferred test: an explicit "(spec: #/...)" in its error, else the
 * schema of an answer that broke it, else the shared inferred default the test is about (scopes, visibility,
 * pagination, ...), else the operation's x-fluxra-inferred note or the description of an operation we designed. */
export function specPlace(t: TestOutcome, operations: Operation[]): { pointer: string; text?: string } {
  for (const e of t.errors) {
    const m = /\(spec: (#\/[^)\s]+)\)/.exec(e);
    if (m) return { pointer: m[1] };
  }
  // A response that broke the schema: the schema of that answer, and the field (the schema holds the choice).
  for (const e of t.errors) {
    const m = /^\[schema\] (\S+) [A-Z]+ \S+ -> (\d{3}): (.*)/.exec(e.split('\n')[0]);
    const op = m && operations.find((o) => o.operationId === m[1]);
    if (op && m) return { pointer: `${opPointer(op)}/responses/${m[2]}/content/application~1json/schema`, text: m[3] };
  }
  const op = operations.find((o) => o.operationId === t.operation);
  const defaults = inferredDefault(t.name);
  if (defaults) return defaults;
  if (!op) return { pointer: '#/x-fluxra-inferred-defaults' };
  const base = opPointer(op);
  const note = (op.raw as Record<string, unknown>)['x-fluxra-inferred'];
  if (typeof note === 'string') return { pointer: `${base}/x-fluxra-inferred`, text: note };
  return { pointer: `${base}/description`, text: op.raw.description };
}

const opPointer = (op: Operation) => `#/paths/${op.path.replace(/~/g, '~0').replace(/\//g, '~1')}/${op.method}`;

const DEFAULT_TOPICS: [RegExp, string][] = [
  [/\bscope/i, 'scopes'],
  [/\b(visible|visibility|another agent'?s|someone else'?s)\b/i, 'visibility'],
  [/\b(cursor|limit|page|pages|oldest first|newest first)\b/i, 'pagination'],
  [/\b(429|rate limit)/i, 'rate-limits'],
  [/\b(token_type|expires_in|jwt)\b/i, 'token'],
];

function inferredDefault(name: string) {
  for (const [re, key] of DEFAULT_TOPICS) if (re.test(name)) return { pointer: `#/x-fluxra-inferred-defaults/${key}` };
  return undefined;
}

export interface RunStatus {
  verdict: 'CONFORMS' | 'DOES NOT CONFORM' | 'INCOMPLETE';
  exitCode: number;
  problems: string[];
  incomplete: string[];
}

/** Failures decide first (a known non-conformance is a verdict even in a partial run), then completeness. */
export function runStatus(counts: Record<Verdict, number>, facts: { problems: string[]; incomplete: string[] }): RunStatus {
  const problems = [...facts.problems];
  if (counts.fail) problems.push(`${counts.fail} test(s) failed`);
  const incomplete = [...facts.incomplete];
  if (counts['not-run']) incomplete.push(`${counts['not-run']} test(s) not run`);
  if (problems.length) return { verdict: 'DOES NOT CONFORM', exitCode: EXIT.doesNotConform, problems, incomplete };
  if (incomplete.length) return { verdict: 'INCOMPLETE', exitCode: EXIT.incomplete, problems, incomplete };
  return { verdict: 'CONFORMS', exitCode: EXIT.conforms, problems, incomplete };
}
