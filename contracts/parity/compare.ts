// One scenario's two runs side by side: steps matched by name, every difference found and classified, and
// the fake's own problems (a rule of the scenario or of openapi.yaml the fake breaks, whatever the target
// does) listed apart: they are bugs of ours and fail the run even where both sides agree.
import type { SpecValidators } from '../../src/spec/validators.ts';
import { classify } from './classify.ts';
import { diffExchanges, type RawDifference } from './differ.ts';
import type { SpecPlaces } from './spec-places.ts';
import type { Difference, RecordedExchange, SideRun } from './types.ts';

export interface FakeProblem { scenario: string; step: string; path: string; problem: string }

export function compareScenario(scenario: string, fake: SideRun, target: SideRun, validators: SpecValidators, places: SpecPlaces) {
  const differences: Difference[] = [];
  const byStep = (run: SideRun) => new Map(run.exchanges.map((e) => [e.step, e]));
  const f = byStep(fake);
  const t = byStep(target);
  const order = [...fake.exchanges.map((e) => e.step), ...target.exchanges.map((e) => e.step).filter((s) => !f.has(s))];
  const inputs = new Set([...fake.inputs, ...target.inputs]);
  let reportedStop = false;

  for (const step of order) {
    const fe = f.get(step);
    const te = t.get(step);
    if (fe && te) {
      const op = validators.byId.get(fe.operationId)!;
      const raw = [...diffExchanges(fe, te, { op, places, inputs }), ...timeDifferences(fe, te)];
      for (const d of raw) {
        const c = d.kind === 'time' ? timeClass(d) : classify(d, fe, te, op, places);
        differences.push({ scenario, step, operationId: fe.operationId, ...d, ...c });
      }
      continue;
    }
    if (reportedStop) continue;
    // The scenario stopped on one side: one difference, classified like what stopped it.
    const stopped = fe ? target : fake;
    const ran = (fe ?? te)!;
    if (stopped.aborted?.transport) continue; // not a difference: an incomplete run, reported as such
    reportedStop = true;
    const cause = differences.filter((d) => d.step === stopped.aborted?.step);
    const cls = stopped.side === 'fake' ? 'fake-breaks-contract' : (cause[0]?.class ?? 'target-breaks-contract');
    differences.push({
      scenario,
      step,
      operationId: ran.operationId,
      path: 'step',
      kind: 'step',
      fake: fe ? 'run' : `not run: ${stopped.aborted?.reason ?? 'the scenario ended'}`,
      target: te ? 'run' : `not run: ${stopped.aborted?.reason ?? 'the scenario ended'}`,
      note: `the scenario stopped on the ${stopped.side} after "${stopped.aborted?.step ?? '?'}"`,
      class: cls,
      because: cause[0] ? `follows from the difference at "${cause[0].step}" ${cause[0].path}` : `the ${stopped.side} could not go on: ${stopped.aborted?.reason ?? 'unknown'}`,
    });
  }
  return { differences, fakeProblems: fakeProblems(scenario, fake) };
}

/** A timestamp that fails the checks on one side only; the fake's always count (they are bugs of ours). */
function timeDifferences(fe: RecordedExchange, te: RecordedExchange): RawDifference[] {
  const out: RawDifference[] = [];
  const tp = new Map(te.times.map((p) => [p.path, p.message]));
  const fp = new Map(fe.times.map((p) => [p.path, p.message]));
  for (const [path, message] of fp) out.push({ path, kind: 'time', fake: message, target: tp.get(path) ?? 'ok' });
  for (const [path, message] of tp) if (!fp.has(path)) out.push({ path, kind: 'time', fake: 'ok', target: message });
  return out;
}

function timeClass(d: RawDifference) {
  const rule = 'timestamps are RFC 3339 UTC and fit the scenario (not before it, not after the answer, *_at not before created_at, creation in step order)';
  return d.fake !== 'ok'
    ? { class: 'fake-breaks-contract' as const, because: `the fake breaks: ${rule} (documented: docs, conventions: timestamps)` }
    : { class: 'target-breaks-contract' as const, because: `the target breaks: ${rule} (documented: docs, conventions: timestamps)` };
}

function fakeProblems(scenario: string, fake: SideRun): FakeProblem[] {
  const out: FakeProblem[] = [];
  for (const ex of fake.exchanges) {
    for (const p of ex.problems) out.push({ scenario, step: ex.step, path: p.path, problem: `${p.message} (openapi.yaml ${p.place})` });
    for (const c of ex.claims) if (!c.ok) out.push({ scenario, step: ex.step, path: c.path, problem: `${c.rule} (${c.tier}: ${c.source})` });
    for (const t of ex.times) out.push({ scenario, step: ex.step, path: t.path, problem: t.message });
  }
  if (fake.aborted && !fake.aborted.transport) out.push({ scenario, step: fake.aborted.step ?? '?', path: 'step', problem: `the scenario stopped on the fake: ${fake.aborted.reason}` });
  return out;
}
