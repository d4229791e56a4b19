// Differences that matter between the fake's and the target's answer to the same step: the status, the
// error code, the media type and the headers the spec documents, the body's shape (a field present or
// absent, renamed, of another type; an array's length or order where the scenario fixes it) and the values
// the scenario fixes: references (`<conv#1>` against `<conv#2>` is another conversation), its own inputs
// coming back (names, contents), enum values, counts and flags. Free text (error messages, warnings) and
// secrets are never compared by value; timestamps only by whether they fall within the scenario.
import type { Operation } from '../../src/spec/operations.ts';
import { child, within, type Segment } from './json-path.ts';
import { isRefLabel, isTimeLabel, sameTime } from './normalise.ts';
import type { SpecPlaces } from './spec-places.ts';
import type { DifferenceKind, RecordedExchange } from './types.ts';

export interface RawDifference { path: string; kind: DifferenceKind; fake: string; target: string; note?: string }

export interface DiffContext { op: Operation; places: SpecPlaces; inputs: Set<string> }

const ABSENT = '(absent)';

export function show(value: unknown, max = 160): string {
  if (value === undefined) return ABSENT;
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

const mediaType = (h: Record<string, string>) => (h['content-type'] ?? '').split(';')[0].trim().toLowerCase();
const errorCode = (body: unknown) => (body as { error?: { code?: unknown } } | undefined)?.error?.code;
const scheme = (v: string | undefined) => v?.trim().split(/\s+/)[0]?.toLowerCase();

export function diffExchanges(fake: RecordedExchange, target: RecordedExchange, ctx: DiffContext): RawDifference[] {
  const out: RawDifference[] = [];
  const fs = fake.response.status;
  const ts = target.response.status;
  if (fs !== ts) out.push({ path: 'status', kind: 'status', fake: String(fs), target: String(ts) });
  if (fs >= 400 && ts >= 400 && errorCode(fake.response.body) !== errorCode(target.response.body)) {
    out.push({ path: '$.error.code', kind: 'error-code', fake: show(errorCode(fake.response.body)), target: show(errorCode(target.response.body)) });
  }
  if (fs === ts) {
    const fm = mediaType(fake.response.headers);
    const tm = mediaType(target.response.headers);
    if (fm !== tm) out.push({ path: 'header.content-type', kind: 'content-type', fake: fm || ABSENT, target: tm || ABSENT });
    for (const name of ctx.op.responses[String(fs)]?.headers ?? []) {
      const key = name.toLowerCase();
      const fv = fake.response.headers[key];
      const tv = target.response.headers[key];
      if ((fv === undefined) !== (tv === undefined)) out.push({ path: `header.${key}`, kind: 'header', fake: fv === undefined ? ABSENT : show(fv), target: tv === undefined ? ABSENT : show(tv) });
      else if (fv !== undefined && key === 'www-authenticate' && scheme(fv) !== scheme(tv)) out.push({ path: `header.${key}`, kind: 'header', fake: show(fv), target: show(tv), note: 'another authentication scheme' });
      else if (fv !== undefined && key === 'retry-after' && /^\d+$/.test(fv) !== /^\d+$/.test(tv ?? '')) out.push({ path: `header.${key}`, kind: 'header', fake: show(fv), target: show(tv), note: 'delay-seconds against an HTTP date' });
    }
  }
  const sameClass = Math.floor(fs / 100) === Math.floor(ts / 100);
  const fb = fake.response.body;
  const tb = target.response.body;
  // A different status explains a missing body; the same kind of answer is compared field by field.
  if (fs === ts || (sameClass && fb !== undefined && tb !== undefined)) {
    const unfixed = [...(fake.unfixed ?? []), ...(target.unfixed ?? [])];
    new BodyDiff(ctx, fs, fake.response.headers['content-type'], unfixed, out).compare(fb, tb, [], '$', false);
  }
  return out;
}

class BodyDiff {
  constructor(
    private readonly ctx: DiffContext,
    private readonly status: number,
    private readonly contentType: string | undefined,
    private readonly unfixed: string[],
    private readonly out: RawDifference[],
  ) {}

  compare(a: unknown, b: unknown, segs: Segment[], path: string, shapeOnly: boolean) {
    if (a === undefined && b === undefined) return;
    if (a === undefined) return void this.out.push({ path, kind: 'extra', fake: ABSENT, target: show(b) });
    if (b === undefined) return void this.out.push({ path, kind: 'missing', fake: show(a), target: ABSENT });
    const ta = typeOf(a);
    const tb = typeOf(b);
    if (ta !== tb) return void this.out.push({ path, kind: 'type', fake: `${ta} ${show(a, 60)}`, target: `${tb} ${show(b, 60)}` });
    if (ta === 'object') return this.object(a as Record<string, unknown>, b as Record<string, unknown>, segs, path, shapeOnly);
    if (ta === 'array') return this.array(a as unknown[], b as unknown[], segs, path, shapeOnly);
    if (shapeOnly || a === b) return;
    if (ta === 'string') {
      const sa = a as string;
      const sb = b as string;
      if (isTimeLabel(sa) || isTimeLabel(sb)) {
        if (!sameTime(sa, sb)) this.out.push({ path, kind: 'value', fake: show(sa), target: show(sb), note: 'timestamps say different things' });
        return;
      }
      // Secrets are labelled, or redacted in a recording: never compared by value (their presence and type are).
      if (isSecret(sa) && isSecret(sb)) return;
      const fixed = isRefLabel(sa) || isRefLabel(sb) || this.ctx.inputs.has(sa) || this.ctx.inputs.has(sb)
        || this.ctx.places.closedVocabulary(this.ctx.op, this.status, this.contentType, segs);
      if (fixed) this.out.push({ path, kind: 'value', fake: show(sa), target: show(sb), ...(isRefLabel(sa) && isRefLabel(sb) ? { note: 'another reference' } : {}) });
      return;
    }
    if (ta === 'number' && Number.isInteger(a) && Number.isInteger(b)) this.out.push({ path, kind: 'value', fake: show(a), target: show(b) });
    if (ta === 'boolean') this.out.push({ path, kind: 'value', fake: show(a), target: show(b) });
  }

  private object(a: Record<string, unknown>, b: Record<string, unknown>, segs: Segment[], path: string, shapeOnly: boolean) {
    const missing = Object.keys(a).filter((k) => !(k in b));
    const extra = Object.keys(b).filter((k) => !(k in a));
    // A field the target has under another name: one difference, not an absent field and an extra one.
    const renamed = new Map<string, string>();
    for (const k of missing) {
      const same = extra.filter((e) => !renamed.has(e) && JSON.stringify(a[k]) === JSON.stringify(b[e]));
      if (same.length === 1) renamed.set(same[0], k);
    }
    for (const [to, from] of renamed) this.out.push({ path: child(path, from), kind: 'renamed', fake: from, target: to, note: `the field is called ${to}` });
    const renamedFrom = new Set(renamed.values());
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (renamed.has(k) || renamedFrom.has(k)) continue;
      this.compare(a[k], b[k], [...segs, k], child(path, k), shapeOnly);
    }
  }

  private array(a: unknown[], b: unknown[], segs: Segment[], path: string, shapeOnly: boolean) {
    const loose = shapeOnly || this.unfixed.some((u) => within(path, u));
    if (loose) {
      if (a.length && b.length) this.compare(a[0], b[0], [...segs, 0], child(path, 0), true);
      return;
    }
    if (a.length !== b.length) return void this.out.push({ path, kind: 'length', fake: `${a.length} item(s)`, target: `${b.length} item(s)` });
    const inner = new BodyDiff(this.ctx, this.status, this.contentType, this.unfixed, []);
    a.forEach((item, i) => inner.compare(item, b[i], [...segs, i], child(path, i), false));
    if (!inner.out.length) return;
    const canon = (list: unknown[]) => list.map((x) => JSON.stringify(x, (_, v) => comparable(v))).sort().join('\n');
    if (canon(a) === canon(b)) this.out.push({ path, kind: 'order', fake: show(a.map(brief)), target: show(b.map(brief)), note: 'the same items in another order' });
    else this.out.push(...inner.out);
  }
}

const SECRET_LABEL = /^<(recovery_key|api_key|access_token|refresh_token|token|secret|password)#\d+>$/;
const isSecret = (s: string) => s === '[REDACTED]' || SECRET_LABEL.test(s);

/** A value as the comparison sees it: any two timestamps within the scenario alike, any two secrets alike. */
function comparable(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (/^<t[+-][\d.]+s>$/.test(v)) return '<t:during>';
  return isSecret(v) ? '<secret>' : v;
}

/** An item as an order difference shows it: its first reference or content, else the item. */
function brief(item: unknown): unknown {
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    const o = item as Record<string, unknown>;
    return o.content ?? Object.values(o).find(isRefLabel) ?? item;
  }
  return item;
}
