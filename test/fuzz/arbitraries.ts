// fast-check arbitraries derived from openapi.yaml: for every operation, requests built from its own
// schemas (valid bodies, parameters and credentials of its security schemes) and from deliberate
// mistakes (a field of the wrong type, a required one dropped, an unknown one added, malformed JSON,
// the wrong content type, nesting past the limit, any JSON at all, credentials of every kind, wrong).
// Ids are symbolic (`$ref:conv`), resolved against the fuzz world when the case runs, so a saved case
// replays against a fresh world.
import fc from 'fast-check';
import { deref, type Spec } from '../../src/spec/load.ts';
import type { Operation } from '../../src/spec/operations.ts';

/** What a case sends; JSON-serialisable, so a failing case can be saved and replayed. */
export interface FuzzCase {
  operationId: string;
  path: Record<string, string>;
  query: Record<string, string>;
  /** which credential: one of the fuzz world's (harness.ts) */
  credential: string;
  contentType?: string;
  /** a JSON value, or raw text when `raw` is set */
  body?: unknown;
  raw?: string;
}

type Schema = Record<string, any>;

/** Property names whose values name records of the fuzz world: real ids half the time. */
const ID_REFS: Record<string, string[]> = {
  conversation_id: ['$ref:conv', '$ref:direct'],
  message_id: ['$ref:msg'],
  in_reply_to: ['$ref:msg'],
  agent_id: ['$ref:me', '$ref:other', '$ref:third'],
  recipient_agent_id: ['$ref:other', '$ref:third', '$ref:me'],
  target_id: ['$ref:other', '$ref:third', '$ref:conv'],
  key_id: ['$ref:key'],
  block_id: ['$ref:block'],
  token: ['$ref:token'],
};
const ID_ITEMS: Record<string, string[]> = { members: ['$ref:other', '$ref:third'], agent_ids: ['$ref:other', '$ref:third'], mention: ['$ref:other', '$ref:me'] };

const WEIRD_STRINGS = ['', ' ', 'x'.repeat(300), '\u0000', '😀', '\u202e', '<script>', '../../etc/passwd', '%00', 'agt_00000000000000000000000000000000', 'conv_x', 'null', '-1', '1e309', '__proto__', 'constructor'];
const weird = fc.oneof(
  fc.constantFrom(...WEIRD_STRINGS),
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, [], {}, [[]], { $gt: '' }, JSON.parse('{"__proto__":{"polluted":1}}')),
  fc.jsonValue({ maxDepth: 3 }),
);

export function schemaArb(spec: Spec, raw: unknown, name = '', depth = 0): fc.Arbitrary<unknown> {
  const schema = deref<Schema>(spec, raw ?? {});
  const refs = ID_REFS[name];
  const base = plainSchemaArb(spec, schema, name, depth);
  return refs ? fc.oneof(fc.constantFrom(...refs), base) : base;
}

function plainSchemaArb(spec: Spec, schema: Schema, name: string, depth: number): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.oneOf || schema.anyOf) return fc.oneof(...(schema.oneOf ?? schema.anyOf).map((s: unknown) => schemaArb(spec, { ...schema, oneOf: undefined, anyOf: undefined, ...deref<Schema>(spec, s) }, name, depth)));
  if (schema.allOf) return schemaArb(spec, Object.assign({}, ...schema.allOf.map((s: unknown) => deref<Schema>(spec, s)), { allOf: undefined }), name, depth);
  const type = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : schema.properties ? ['object'] : [];
  if (type.length > 1) return fc.oneof(...type.map((t: string) => plainSchemaArb(spec, { ...schema, type: t }, name, depth)));
  switch (type[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000, noNaN: true });
    case 'string':
      return stringArb(schema);
    case 'array': {
      const itemRefs = ID_ITEMS[name];
      const items = itemRefs ? fc.oneof(fc.constantFrom(...itemRefs), schemaArb(spec, schema.items, '', depth + 1)) : schemaArb(spec, schema.items, '', depth + 1);
      return fc.array(items, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
    }
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, unknown>;
      const required = new Set<string>(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries(props)) record[key] = schemaArb(spec, sub, key, depth + 1);
      if (Object.keys(record).length === 0) return depth > 2 ? fc.constant({}) : fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
      return fc.record(record, { requiredKeys: [...required].filter((k) => k in record) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringArb(schema: Schema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 40, 60);
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'email') return fc.emailAddress();
  return fc.string({ minLength, maxLength: Math.max(minLength, maxLength), unit: 'grapheme' });
}

/** A body that breaks the schema in one way. */
function invalidBody(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    weird,
    fc.tuple(valid, fc.nat(), weird).map(([body, i, value]) => {
      if (!body || typeof body !== 'object' || Array.isArray(body)) return value;
      const keys = Object.keys(body);
      return keys.length ? { ...body, [keys[i % keys.length]]: value } : { field: value };
    }),
    fc.tuple(valid, fc.nat()).map(([body, i]) => {
      if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
      const keys = Object.keys(body);
      const copy = { ...(body as Record<string, unknown>) };
      if (keys.length) delete copy[keys[i % keys.length]];
      return copy;
    }),
    fc.tuple(valid, fc.constantFrom('extra', '__proto__', 'constructor', '$where'), weird).map(([body, key, value]) => {
      if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
      // An own property even for "__proto__" (JSON.parse makes one; an assignment would not).
      const copy = { ...(body as Record<string, unknown>) };
      Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
      return copy;
    }),
  );
}

const RAW_BODIES = ['{', '{"a":', '{"a":1,}', "{'a':1}", 'NaN', '[1,2', '{"a":"\\ud800"}', '\u0000', '"just a string"', '[]', 'null', `${'['.repeat(100)}${']'.repeat(100)}`, `{"a":${'{"a":'.repeat(70)}1${'}'.repeat(70)}}`];

/** A request body for an operation: valid, invalid, raw text, the wrong content type, or none. */
function bodyArb(spec: Spec, op: Operation): fc.Arbitrary<Pick<FuzzCase, 'body' | 'raw' | 'contentType'>> {
  if (!op.requestBody) {
    return fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.record({ body: weird }) });
  }
  const content = deref<Schema>(spec, (op.raw as Schema).requestBody).content[op.requestBody.mediaType];
  const valid = schemaArb(spec, content.schema);
  return fc.oneof(
    { weight: 5, arbitrary: valid.map((body) => ({ body })) },
    { weight: 3, arbitrary: invalidBody(valid).map((body) => ({ body })) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES).map((raw) => ({ raw, contentType: 'application/json' })) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/xml')).map(([body, contentType]) => ({ raw: JSON.stringify(body) ?? '', contentType })) },
    { weight: 1, arbitrary: fc.constant({}) },
  );
}

function paramArb(spec: Spec, op: Operation, where: 'path' | 'query'): fc.Arbitrary<Record<string, string>> {
  const params = op.parameters.filter((p) => p.in === where);
  const record: Record<string, fc.Arbitrary<string | undefined>> = {};
  for (const p of params) {
    const valid = schemaArb(spec, p.schema, p.name).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    const bad = fc.constantFrom(...WEIRD_STRINGS.filter((s) => s !== '' || where === 'query'));
    const value = fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: bad });
    record[p.name] = where === 'path' || p.required ? value.map((v) => (where === 'path' && v === '' ? 'x' : v)) : fc.option(value, { nil: undefined });
  }
  return fc.record(record).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Record<string, string>);
}

/** Credentials the fuzz world offers (harness.ts): each operation's own schemes most of the time. */
export const CREDENTIALS = ['bearer', 'apiKeyBasic', 'recoveryKeyBasic', 'otherBearer', 'otherRecoveryKeyBasic', 'none', 'garbageBearer', 'algNone', 'badBase64', 'noColon', 'wrongSecret', 'digest', 'emptyBearer'] as const;
const SCHEME_CREDENTIAL: Record<string, string> = { bearerJwt: 'bearer', apiKeyBasic: 'apiKeyBasic', recoveryKeyBasic: 'recoveryKeyBasic' };

function credentialArb(op: Operation): fc.Arbitrary<string> {
  const own = op.security.flatMap((alt) => alt.schemes.map((s) => SCHEME_CREDENTIAL[s.name]));
  return own.length ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...own) }, { weight: 2, arbitrary: fc.constantFrom(...CREDENTIALS) }) : fc.constantFrom(...CREDENTIALS);
}

export function caseArb(spec: Spec, operations: Operation[]): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    ...operations.map((op) =>
      fc.record({ path: paramArb(spec, op, 'path'), query: paramArb(spec, op, 'query'), credential: credentialArb(op), body: bodyArb(spec, op) }).map(({ body, ...rest }) => ({ operationId: op.operationId, ...rest, ...body })),
    ),
  );
}
