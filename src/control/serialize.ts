// A generic, lossless JSON encoding of plain state (every store keeps its state in the tenant's plain data,
// src/tenant/tenant.ts).
// Maps, Sets, Dates and byte buffers are tagged so they come back as what they were; the walker knows
// nothing about stores, so a store added to emptyTenantData() is snapshotted with no change here.
// Anything that is not plain data (a function, a class instance) is refused with its path, because a
// snapshot that silently drops state would restore a fake that answers differently.
// Stored values nest as deep as clients made them (metadata), so encode and decode walk with an explicit
// stack, never the call stack; every key is written as an own property (a key "__proto__" stays data and
// never changes a prototype), and refill writes only the parts a tenant's state has.
import { setOwn } from './redact.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Slot = { into: Record<string, unknown> | unknown[]; key: string | number };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

const put = (slot: Slot, value: unknown) => (typeof slot.key === 'number' ? ((slot.into as unknown[])[slot.key] = value) : setOwn(slot.into, slot.key, value));

export function encode(value: unknown, path = '$'): Json {
  const holder: unknown[] = [undefined];
  const stack: [unknown, string, Slot][] = [[value, path, { into: holder, key: 0 }]];
  while (stack.length) {
    const [node, at, slot] = stack.pop()!;
    if (node === null || typeof node === 'string' || typeof node === 'boolean') put(slot, node);
    else if (typeof node === 'number') put(slot, Number.isFinite(node) ? node : { $num: String(node) });
    else if (node === undefined) put(slot, { $undefined: true });
    else if (node instanceof Date) put(slot, { $date: node.toISOString() });
    else if (Buffer.isBuffer(node) || node instanceof Uint8Array) put(slot, { $bytes: Buffer.from(node).toString('base64') });
    else if (node instanceof Map) {
      const pairs: unknown[][] = [];
      put(slot, { $map: pairs });
      let i = 0;
      for (const [k, v] of node) {
        const pair: unknown[] = [undefined, undefined];
        pairs.push(pair);
        stack.push([k, `${at}<key ${i++}>`, { into: pair, key: 0 }], [v, `${at}[${String(k)}]`, { into: pair, key: 1 }]);
      }
    } else if (node instanceof Set) {
      const items: unknown[] = [];
      put(slot, { $set: items });
      for (const v of node) stack.push([v, `${at}{${items.length}}`, { into: items, key: items.push(undefined) - 1 }]);
    } else if (Array.isArray(node)) {
      const items: unknown[] = new Array(node.length);
      put(slot, items);
      node.forEach((v, i) => stack.push([v, `${at}[${i}]`, { into: items, key: i }]));
    } else if (isPlainObject(node)) {
      const out: Record<string, unknown> = {};
      const keys = Object.keys(node);
      // A plain object whose own key looks like a tag is wrapped, so decoding is never ambiguous.
      put(slot, keys.some((k) => k.startsWith('$')) ? { $obj: out } : out);
      for (const k of keys) stack.push([node[k], `${at}.${k}`, { into: out, key: k }]);
    } else {
      throw new Error(`state is not plain data at ${at} (${typeof node === 'object' ? (node as object).constructor?.name : typeof node})`);
    }
  }
  return holder[0] as Json;
}

export function decode(value: unknown): unknown {
  const holder: unknown[] = [undefined];
  // A work item decodes one value into its slot (`raw`: the inside of a $obj tag, a plain object whatever
  // its keys), or, pushed before a Map's or Set's entries and so run after them, fills the container.
  type Work = { node: unknown; slot: Slot; raw?: boolean } | { fill: () => void };
  const stack: Work[] = [{ node: value, slot: { into: holder, key: 0 } }];
  while (stack.length) {
    const work = stack.pop()!;
    if ('fill' in work) {
      work.fill();
      continue;
    }
    const { node, slot, raw } = work;
    if (node === null || typeof node !== 'object') {
      put(slot, node);
      continue;
    }
    if (Array.isArray(node)) {
      const items: unknown[] = new Array(node.length);
      put(slot, items);
      node.forEach((v, i) => stack.push({ node: v, slot: { into: items, key: i } }));
      continue;
    }
    const obj = node as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (!raw && keys.length === 1 && keys[0].startsWith('$')) {
      const tagged = obj[keys[0]];
      switch (keys[0]) {
        case '$date': put(slot, new Date(tagged as string)); break;
        case '$bytes': put(slot, Buffer.from(tagged as string, 'base64')); break;
        case '$undefined': put(slot, undefined); break;
        case '$num': put(slot, Number(tagged)); break;
        case '$obj': stack.push({ node: tagged, slot, raw: true }); break;
        case '$set': {
          const items = asArray(tagged, '$set');
          const decoded: unknown[] = new Array(items.length);
          const set = new Set<unknown>();
          put(slot, set);
          stack.push({ fill: () => decoded.forEach((v) => set.add(v)) });
          items.forEach((v, i) => stack.push({ node: v, slot: { into: decoded, key: i } }));
          break;
        }
        case '$map': {
          const pairs = asArray(tagged, '$map').map((pair) => asArray(pair, '$map entry'));
          const decoded: unknown[][] = pairs.map(() => [undefined, undefined]);
          const map = new Map<unknown, unknown>();
          put(slot, map);
          stack.push({ fill: () => decoded.forEach(([k, v]) => map.set(k, v)) });
          pairs.forEach(([k, v], i) => stack.push({ node: k, slot: { into: decoded[i], key: 0 } }, { node: v, slot: { into: decoded[i], key: 1 } }));
          break;
        }
        default:
          throw new Error(`unknown snapshot tag ${keys[0]}`);
      }
      continue;
    }
    const out: Record<string, unknown> = {};
    put(slot, out);
    for (const k of keys) stack.push({ node: obj[k], slot: { into: out, key: k } });
  }
  return holder[0];
}

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`snapshot ${what} is not an array`);
  return value;
}

const kind = (v: unknown) =>
  v instanceof Map ? 'Map' : v instanceof Set ? 'Set' : Array.isArray(v) ? 'array' : v instanceof Uint8Array ? 'bytes' : isPlainObject(v) ? 'object' : v === null ? 'null' : typeof v;
const isContainer = (k: string) => k === 'Map' || k === 'Set' || k === 'array' || k === 'object';

/**
 * Why `source` cannot refill `target` (empty: it can): a part the tenant's state does not have (a key
 * "__proto__" or "constructor" included), or a part of another kind than the state's. `fresh` (the empty
 * state) is the shape: only its own keys exist. The walk follows the state's fixed shape, not the
 * source's depth; records inside Maps and arrays are taken as they are.
 */
export function refillProblems(target: unknown, source: unknown, fresh: unknown, path = 'data'): string[] {
  const problems: string[] = [];
  const want = kind(target);
  const got = kind(source);
  if (want !== got) return [`${path} is ${got === 'object' ? 'an object' : got}, expected ${want === 'object' ? 'an object' : want}`];
  if (want !== 'object') return problems;
  const src = source as Record<string, unknown>;
  const base = (isPlainObject(fresh) ? fresh : {}) as Record<string, unknown>;
  for (const key of Object.keys(src)) {
    if (!Object.hasOwn(base, key)) problems.push(`${path}.${key} is not part of a tenant's state`);
    else problems.push(...refillProblems((target as Record<string, unknown>)[key], src[key], base[key], `${path}.${key}`));
  }
  return problems;
}

/**
 * Makes `target` hold what `source` holds, keeping the identity of every container: stores keep
 * references to their Maps and sub-objects, so they must be refilled, never replaced. Keys missing
 * from `source` (a store added after the snapshot was taken) fall back to `fresh`, the empty state.
 * Check `refillProblems` first: a refill is not undone half way.
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
    // One push per item: spreading a long array into push() overflows the argument stack.
    for (const v of source as unknown[]) target.push(v);
  } else if (isPlainObject(target)) {
    const src = (isPlainObject(source) ? source : {}) as Record<string, unknown>;
    const base = (isPlainObject(fresh) ? fresh : {}) as Record<string, unknown>;
    for (const key of Object.keys(base)) {
      const next = Object.hasOwn(src, key) ? src[key] : base[key];
      if (isContainer(kind(target[key])) && kind(target[key]) === kind(next)) refill(target[key], next, base[key]);
      else target[key] = next;
    }
  }
}
