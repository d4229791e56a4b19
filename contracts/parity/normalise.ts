// Normalisation that keeps references. Per side and scenario: every id becomes `<agent#1>`, `<conv#2>`, ...
// in order of first appearance (requests before answers, object keys in sorted order, so two servers that
// serialise keys differently still number alike), so "the same conversation twice" stays visible;
// cursors become `<cursor#n>`; secrets and tokens become `<api_key#1>`, `<access_token#2>`, ... from the
// values the run saw (field names, the docs' rk_/sk_ prefixes, JWT shape) before anything is kept; the
// scenario's generated names become `<name:alice>`; timestamps become offsets from the scenario start and
// are checked for format, window and order (RFC 3339 UTC: docs, conventions), never compared by value.
import { child, type Segment } from './json-path.ts';
import type { TimeProblem } from './types.ts';

const ID_PREFIX: Record<string, string> = { agt: 'agent', conv: 'conv', msg: 'msg', blk: 'block', aky: 'key', evt: 'event' };
const ID_PATTERN = /^(agt|conv|msg|blk|aky|evt)_[A-Za-z0-9_-]+$/;
const SECRET_FIELDS = new Set(['recovery_key', 'api_key', 'access_token', 'refresh_token', 'token', 'secret', 'password']);
const SECRET_PREFIX: Record<string, string> = { rk: 'recovery_key', sk: 'api_key' };
const JWT = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const CURSOR_FIELDS = new Set(['cursor', 'next_cursor']);
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const FIELD_KIND: [RegExp, string][] = [
  [/^(agent_id|sender_id|members|mention|recipient_agent_id)$/, 'agent'],
  [/^conversation_id$/, 'conv'],
  [/^(message_id|in_reply_to|last_read_message_id)$/, 'msg'],
  [/^block_id$/, 'block'],
  [/^key_id$/, 'key'],
  [/^event_id$/, 'event'],
  [/_id$/, 'id'],
];

export interface NormaliserOptions {
  /** When the scenario started on this side (ms since the epoch). */
  start: number;
  /** How far this side's clock may be from ours (ms): 2 s for the in-process fake, more for a remote target. */
  tolerance: number;
  /** The scenario's generated inputs (names, emails): raw value -> label, shared by both sides. */
  inputs: Map<string, string>;
}

export interface TimeContext { sentAt: number; receivedAt: number; problems: TimeProblem[] }

export class Normaliser {
  private readonly labels = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  /** Every secret value seen on this side (raw), for the redaction of anything written. */
  readonly secrets = new Set<string>();
  /** created_at of the newest object created so far (ms), for the order check across steps. */
  private lastCreated = -Infinity;

  constructor(private readonly options: NormaliserOptions) {}

  private label(raw: string, kind: string): string {
    const known = this.labels.get(raw);
    if (known) return known;
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    const label = `<${kind}#${n}>`;
    this.labels.set(raw, label);
    return label;
  }

  secret(raw: string, kind: string): string {
    this.secrets.add(raw);
    return this.label(raw, kind);
  }

  /** The label a raw string gets in a field, or undefined when it stays as it is. */
  private classify(raw: string, field: string | undefined, server: boolean): string | undefined {
    const known = this.labels.get(raw) ?? this.options.inputs.get(raw);
    if (known) return known;
    if (field && SECRET_FIELDS.has(field)) return this.secret(raw, field);
    if (JWT.test(raw)) return this.secret(raw, 'token');
    const prefix = /^(rk|sk)_/.exec(raw)?.[1];
    if (prefix && raw.length >= 8) return this.secret(raw, SECRET_PREFIX[prefix]);
    const idPrefix = ID_PATTERN.exec(raw)?.[1];
    if (idPrefix) return this.label(raw, ID_PREFIX[idPrefix]);
    if (field && CURSOR_FIELDS.has(field)) return this.label(raw, 'cursor');
    // Ids the server made without a known prefix: named by their field.
    if (server && field) for (const [re, kind] of FIELD_KIND) if (re.test(field)) return this.label(raw, kind);
    return undefined;
  }

  /** Assigns labels walking keys in sorted order (so the numbering does not depend on key order). */
  private assign(value: unknown, field: string | undefined, server: boolean) {
    if (typeof value === 'string') {
      if (!TIMESTAMP.test(value)) this.classify(value, field, server);
    } else if (Array.isArray(value)) {
      for (const item of value) this.assign(item, field, server);
    } else if (value && typeof value === 'object') {
      for (const key of Object.keys(value).sort()) this.assign((value as Record<string, unknown>)[key], key, server);
    }
  }

  /** Replaces known raw values inside a longer string (an error message naming an id). */
  text(s: string): string {
    const direct = this.labels.get(s) ?? this.options.inputs.get(s);
    if (direct) return direct;
    let out = s;
    const known = [...this.labels, ...this.options.inputs].filter(([raw]) => raw.length >= 6).sort((a, b) => b[0].length - a[0].length);
    for (const [raw, label] of known) if (out.includes(raw)) out = out.split(raw).join(label);
    return out;
  }

  /** A request or answer body, normalised. `time` is given for answers (timestamps are checked there). */
  value(value: unknown, server: boolean, time?: TimeContext): unknown {
    const fresh = new Set<string>();
    collectStrings(value, (v) => {
      if (!this.labels.has(v) && !this.options.inputs.has(v)) fresh.add(v);
    });
    this.assign(value, undefined, server);
    // Objects whose id was first seen in this answer: created in this step (for the order check).
    const created = new Set<object>();
    walkObjects(value, (obj) => {
      if (typeof obj.created_at === 'string' && Object.entries(obj).some(([k, x]) => /_id$/.test(k) && typeof x === 'string' && fresh.has(x))) created.add(obj);
    });
    return this.render(value, '$', undefined, server, time, created);
  }

  private render(value: unknown, path: string, field: string | undefined, server: boolean, time: TimeContext | undefined, created: Set<object>): unknown {
    if (typeof value === 'string') {
      if (TIMESTAMP.test(value)) return this.time(value, path, field, time);
      return this.classify(value, field, server) ?? this.text(value);
    }
    if (Array.isArray(value)) return value.map((item, i) => this.render(item, child(path, i), field, server, time, created));
    if (value && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      if (time) this.checkObjectTimes(obj, path, time, created.has(obj));
      return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, this.render(v, child(path, k as Segment), k, server, time, created)]));
    }
    return value;
  }

  private time(raw: string, path: string, field: string | undefined, ctx: TimeContext | undefined): string {
    const ms = Date.parse(raw);
    const { start, tolerance } = this.options;
    if (!ctx) return `<t${offset((ms - start) / 1000)}>`;
    if (!raw.endsWith('Z')) ctx.problems.push({ path, message: `${raw.slice(-6)}: not UTC with Z (docs, conventions: timestamps are RFC 3339, UTC)` });
    if (ms < start - tolerance) {
      ctx.problems.push({ path, message: `${Math.round((start - ms) / 1000)} s before the scenario started` });
      return `<t:start${duration((ms - start) / 1000)}>`;
    }
    const future = /expires/.test(field ?? '');
    if (ms <= ctx.receivedAt + tolerance) return `<t${offset((ms - start) / 1000)}>`;
    if (!future) ctx.problems.push({ path, message: `${Math.round((ms - ctx.receivedAt) / 1000)} s after the answer arrived` });
    return `<t:step${duration((ms - ctx.sentAt) / 1000)}>`;
  }

  /** Within one object every *_at is not before created_at; an object created in this step is not older than earlier ones. */
  private checkObjectTimes(obj: Record<string, unknown>, path: string, ctx: TimeContext, created: boolean) {
    const createdAt = typeof obj.created_at === 'string' && TIMESTAMP.test(obj.created_at) ? Date.parse(obj.created_at) : undefined;
    if (createdAt === undefined) return;
    const slack = 1000; // whole-second timestamps (the docs' examples) truncate
    for (const [k, v] of Object.entries(obj)) {
      if (k === 'created_at' || !/_at$/.test(k) || typeof v !== 'string' || !TIMESTAMP.test(v)) continue;
      if (Date.parse(v) < createdAt - slack) ctx.problems.push({ path: child(path, k), message: `${k} is before created_at` });
    }
    if (created) {
      if (createdAt < this.lastCreated - slack) ctx.problems.push({ path: child(path, 'created_at'), message: 'created in this step but older than an object created in an earlier step' });
      this.lastCreated = Math.max(this.lastCreated, createdAt);
    }
  }

  /** `Basic base64(id:secret)` -> `Basic <agent#1>:<recovery_key#1>`; `Bearer jwt` -> `Bearer <access_token#1>`. */
  auth(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    this.secrets.add(value);
    const [scheme, credential = ''] = value.split(/\s+/, 2);
    if (credential) this.secrets.add(credential);
    if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0 || Buffer.from(decoded, 'utf8').toString('base64') !== credential) return `${scheme} ${this.secret(credential, 'secret')}`;
      const id = decoded.slice(0, colon);
      const secret = decoded.slice(colon + 1);
      const idLabel = this.labels.get(id) ?? this.classify(id, 'agent_id', false) ?? id;
      return `${scheme} ${idLabel}:${this.labels.get(secret) ?? this.classify(secret, 'secret', false) ?? this.secret(secret, 'secret')}`;
    }
    return `${scheme} ${credential ? (this.labels.get(credential) ?? this.secret(credential, 'token')) : ''}`.trim();
  }

  /** A path parameter or query value: ids and cursors by their parameter name. */
  param(name: string, raw: string): string {
    this.assign(raw, name, false);
    return this.classify(raw, name, false) ?? this.text(raw);
  }
}

function collectStrings(value: unknown, fn: (s: string) => void) {
  if (typeof value === 'string') fn(value);
  else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, fn));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => collectStrings(v, fn));
}

function walkObjects(value: unknown, fn: (obj: Record<string, unknown>) => void) {
  if (Array.isArray(value)) value.forEach((v) => walkObjects(v, fn));
  else if (value && typeof value === 'object') {
    fn(value as Record<string, unknown>);
    Object.values(value).forEach((v) => walkObjects(v, fn));
  }
}

function offset(seconds: number): string {
  return `${seconds < 0 ? '-' : '+'}${Math.abs(seconds).toFixed(1)}s`;
}

/** A coarse duration: whole days, hours or minutes when close to one, else seconds. */
export function duration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const s = Math.abs(seconds);
  const near = (unit: number) => Math.round(s / unit) >= 1 && Math.abs(s - Math.round(s / unit) * unit) <= 300;
  if (near(86_400)) return `${sign}${Math.round(s / 86_400)}d`;
  if (near(3_600)) return `${sign}${Math.round(s / 3_600)}h`;
  if (s >= 600) return `${sign}${Math.round(s / 60)}min`;
  return `${sign}${Math.round(s)}s`;
}

/** Two normalised timestamps agree when both fall within the scenario, or both say the same coarse thing. */
export function sameTime(a: string, b: string): boolean {
  const during = (l: string) => /^<t[+-][\d.]+s>$/.test(l);
  return (during(a) && during(b)) || a === b;
}

export const isTimeLabel = (s: unknown): s is string => typeof s === 'string' && /^<t[:+-]/.test(s);
export const isRefLabel = (s: unknown): s is string => typeof s === 'string' && /^<[a-z_]+(#\d+|:[^>]+)>$/.test(s);
