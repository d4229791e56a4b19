// A generic, lossless JSON encoding of plain state (every store keeps its state in the tenant's plain data,
// src/tenant/tenant.ts).
// Maps, Sets, Dates and byte buffers are tagged so they come back as what they were; the walker knows
// nothing about stores, so a store added to emptyTenantData() is snapshotted with no change here.
// Anything that is not plain data (a function, a class instance) is refused with its path, because a
// snapshot that silently drops state would restore a fake that answers differently.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

export function encode(value: unknown, path = '$'): Json {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { $num: String(value) };
    return value;
  }
  if (value === undefined) return { $undefined: true };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (value instanceof Map) return { $map: [...value].map(([k, v], i) => [encode(k, `${path}<key ${i}>`), encode(v, `${path}[${String(k)}]`)]) };
  if (value instanceof Set) return { $set: [...value].map((v, i) => encode(v, `${path}{${i}}`)) };
  if (Array.isArray(value)) return value.map((v, i) => encode(v, `${path}[${i}]`));
  if (isPlainObject(value)) {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encode(v, `${path}.${k}`);
    // A plain object whose own key looks like a tag is wrapped, so decoding is never ambiguous.
    return Object.keys(out).some((k) => k.startsWith('$')) ? { $obj: out } : out;
  }
  throw new Error(`state is not plain data at ${path} (${typeof value === 'object' ? value.constructor?.name : typeof value})`);
}

export function decode(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decode);
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0].startsWith('$')) {
    const tagged = obj[keys[0]];
    switch (keys[0]) {
      case '$date': return new Date(tagged as string);
      case '$bytes': return Buffer.from(tagged as string, 'base64');
      case '$map': return new Map((tagged as [unknown, unknown][]).map(([k, v]) => [decode(k), decode(v)]));
      case '$set': return new Set((tagged as unknown[]).map(decode));
      case '$undefined': return undefined;
      case '$num': return Number(tagged);
      case '$obj': return Object.fromEntries(Object.entries(tagged as object).map(([k, v]) => [k, decode(v)]));
      default: throw new Error(`unknown snapshot tag ${keys[0]}`);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, decode(obj[k])]));
}

/**
 * Makes `target` hold what `source` holds, keeping the identity of every container: stores keep
 * references to their Maps and sub-objects, so they must be refilled, never replaced. Keys missing
 * from `source` (a store added after the snapshot was taken) fall back to `fresh`, the empty state.
 */
export function refill(target: unknown, source: unknown, fresh: unknown): void {
  if (target instanceof Map) {
    target.clear();
    for (const [k, v] of source as Map<unknown, unknown>) target.set(k, v);
  } else if (target instanceof Set) {
    target.clear();
    for (const v of source as Set<unknown>) target.add(v);
  } else if (Array.isArray(target)) {
    target.length = 0;
    target.push(...(source as unknown[]));
  } else if (isPlainObject(target)) {
    const src = (isPlainObject(source) ? source : {}) as Record<string, unknown>;
    const base = (isPlainObject(fresh) ? fresh : {}) as Record<string, unknown>;
    for (const key of Object.keys(target)) if (!(key in src) && !(key in base)) delete target[key];
    for (const key of new Set([...Object.keys(base), ...Object.keys(src)])) {
      const next = key in src ? src[key] : base[key];
      if (sameKind(target[key], next)) refill(target[key], next, base[key]);
      else target[key] = next;
    }
  }
}

function sameKind(a: unknown, b: unknown) {
  if (a instanceof Map) return b instanceof Map;
  if (a instanceof Set) return b instanceof Set;
  if (Array.isArray(a)) return Array.isArray(b);
  return isPlainObject(a) && isPlainObject(b);
}
