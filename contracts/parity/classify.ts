// Classifies each difference against the spec and the scenario's rules. The side that breaks a rule at
// the place of the difference is the one that differs from the contract:
// - the fake breaks openapi.yaml or a rule of the scenario there: the fake breaks the contract (our bug);
// - the target breaks a documented rule (a documented schema part or status, a Quickstart or docs rule the
//   scenario states): the target breaks the documented contract;
// - the target breaks an inferred rule, or breaks nothing (the spec allows both answers): the target differs
//   from one of our inferred choices, named by its openapi.yaml place (the nearest x-fluxra-inferred note,
//   the operation we designed, or x-fluxra-inferred-defaults).
import type { Operation } from '../../src/spec/operations.ts';
import type { RawDifference } from './differ.ts';
import { lastField, parsePath, within } from './json-path.ts';
import { statusWords } from './spec-check.ts';
import type { Place, SpecPlaces } from './spec-places.ts';
import type { Claim, DifferenceClass, RecordedExchange, SpecProblem, Tier } from './types.ts';

interface Rule { rule: string; tier: Tier; source: string }

/** The pseudo-paths a claim or spec problem must have to be about this difference. */
function relevant(diff: RawDifference, path: string): boolean {
  switch (diff.kind) {
    case 'status': return path === 'status';
    case 'error-code': return path === '$.error.code' || (path.startsWith('$.error') && !path.startsWith('$.error.message'));
    case 'content-type': return path === 'content-type' || path === 'header.content-type';
    case 'header': return path === diff.path;
    default:
      if (!path.startsWith('$') || !diff.path.startsWith('$')) return false;
      return within(path, diff.path) || within(diff.path, path) || (diff.kind === 'renamed' && within(path, diff.path.replace(/[^.[]+$/, diff.target)));
  }
}

const fromProblem = (p: SpecProblem): Rule => ({ rule: p.message, tier: p.tier, source: `openapi.yaml ${p.place}` });
const fromClaim = (c: Claim): Rule => ({ rule: c.rule, tier: c.tier, source: c.source });

function broken(ex: RecordedExchange, diff: RawDifference): Rule[] {
  return [
    ...ex.problems.filter((p) => relevant(diff, p.path)).map(fromProblem),
    ...ex.claims.filter((c) => !c.ok && relevant(diff, c.path)).map(fromClaim),
  ];
}

const describe = (r: Rule) => `${r.rule} (${r.tier}: ${r.source})`;
const placeText = (p: Place) => `openapi.yaml ${p.place}${p.text ? `: "${p.text.replace(/\s+/g, ' ').trim().slice(0, 200)}"` : ''}`;

export function classify(diff: RawDifference, fake: RecordedExchange, target: RecordedExchange, op: Operation, places: SpecPlaces): { class: DifferenceClass; because: string } {
  const fakeBroke = broken(fake, diff);
  if (fakeBroke.length) return { class: 'fake-breaks-contract', because: `the fake breaks: ${describe(fakeBroke[0])}` };
  const targetBroke = broken(target, diff);
  const documented = targetBroke.find((r) => r.tier !== 'inferred');
  if (documented) return { class: 'target-breaks-contract', because: `the target breaks: ${describe(documented)}` };
  const inferred = targetBroke.find((r) => r.tier === 'inferred');
  if (inferred) return { class: 'target-differs-from-inferred', because: `the target does not follow our choice: ${describe(inferred)}` };
  return { class: 'target-differs-from-inferred', because: `the spec allows both answers; the fake's is our choice: ${placeText(nearestChoice(diff, fake, target, op, places))}` };
}

/** The openapi.yaml place that chose what the fake does here. */
function nearestChoice(diff: RawDifference, fake: RecordedExchange, target: RecordedExchange, op: Operation, places: SpecPlaces): Place {
  const fs = fake.response.status;
  const ts = target.response.status;
  const fallback = { tier: 'inferred' as const, place: places.operationPlace(op), text: 'no note covers it: the schema allows both' };
  if (diff.kind === 'status' || diff.kind === 'error-code') {
    const words = diff.kind === 'error-code' ? [...statusWords(op, fs), String(diff.fake).replace(/"/g, ''), String(diff.target).replace(/"/g, '')] : statusWords(op, fs, ts);
    const p = places.status(op, words);
    if (p.tier === 'inferred') return p;
    return (fs < 300 && ts < 300 ? places.defaults('success-status') : undefined) ?? fallback;
  }
  if (diff.kind === 'header' || diff.kind === 'content-type') return places.header(op, fs, diff.path.replace(/^header\./, ''));
  if (diff.path.startsWith('$')) {
    const field = diff.kind === 'renamed' ? diff.fake : lastField(diff.path);
    const words = [...(field ? [field] : []), ...(diff.kind === 'order' ? ['order', 'newest', 'oldest'] : [])];
    const p = places.field(op, fs, fake.response.headers['content-type'], safeSegments(diff.path), words);
    if (p.tier === 'inferred') return p;
    if (/cursor|has_more/.test(field ?? '')) return places.defaults('pagination') ?? p;
    return { ...fallback, place: p.place };
  }
  return fallback;
}

function safeSegments(path: string) {
  try {
    return parsePath(path);
  } catch {
    return [];
  }
}
