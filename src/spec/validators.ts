// Ajv validators compiled from the spec, shared by the fake (request validation, response self-check)
// and the contract suite (response conformance). One Ajv 2020-12 instance per role, the spec added once
// under the plain id 'spec.json' (Ajv 8.20 resolves ids with fast-uri, which mishandles a URN id), each
// schema compiled lazily on first use and cached. The control plane's document gets its own set.
// `npm run build` also compiles every validator of both documents ahead of time (src/spec/precompile.ts,
// Ajv's standalone code): a process then loads them instead of compiling (compiling them all took about
// 0.5-0.8 s, paid by the fake's first requests and again by the contract suite's checks), and loads Ajv
// itself only for a document that has none (Ajv is required lazily for that reason).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, Options, ValidateFunction } from 'ajv/dist/2020.js';
import { assetPath } from './assets.ts';
import { indexOperations, operationsById, type Operation } from './operations.ts';
import { deref, loadSpec, sourceHashOf, type Spec } from './load.ts';

export interface Issue {
  /** where: body/content, query/limit, path/agent_id, response/body/... */
  where: string;
  message: string;
  /** an `x-fluxra-error-code` on the failing schema or parameter, e.g. INVALID_KEY_NAME */
  errorCode?: string;
}

export const SPEC_ID = 'spec.json';
const require = createRequire(import.meta.url);

/**
 * response: checks only. body: applies defaults (type: text...), never coerces (123 is not "123").
 * params: query and path values arrive as strings, so they are coerced to the schema's types.
 */
export type Role = 'response' | 'body' | 'params';
export const ROLES: Role[] = ['response', 'body', 'params'];

const ajvOptions = (role: Role): Options => ({
  strict: false, // OpenAPI and x- keywords sit beside JSON Schema keywords
  allErrors: true, // report every problem at once
  verbose: true, // gives parentSchema, where x-fluxra-error-code lives
  useDefaults: role !== 'response',
  coerceTypes: role === 'params' ? 'array' : false,
  // No schema is checked against the JSON Schema meta-schema at run time: for the document Ajv would check
  // its root only (an OpenAPI document is not a schema), and compiling the meta-schema cost every process
  // 40-80 ms per Ajv instance, six of them. test/spec-precompiled.test.ts checks every schema of both
  // documents against the meta-schema instead (and Redocly lints them).
  validateSchema: false,
});

export function newAjv(spec: Spec, role: Role, options: { source?: boolean } = {}): Ajv2020 {
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
  const ajv = new Ajv({ ...ajvOptions(role), ...(options.source ? { code: { source: true } } : {}) });
  addFormats(ajv);
  ajv.addSchema((role === 'response' ? openInferredEnums(spec) : spec) as object, SPEC_ID);
  return ajv;
}

/**
 * Responses are checked without the enums marked `x-fluxra-inferred-enum`: their set is documented but a
 * value's name is ours (an agent block's `target_type`), so a server that names it otherwise still meets
 * the contract. They stay in the document for generated clients, and the fake's views are typed by them.
 */
function openInferredEnums(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(openInferredEnums);
  if (!value || typeof value !== 'object') return value;
  const inferred = 'x-fluxra-inferred-enum' in value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !(inferred && k === 'enum')).map(([k, v]) => [k, openInferredEnums(v)]));
}

/**
 * The file of a document's precompiled validators for a role: named by the document's text, the role's
 * Ajv options and Ajv's version, so code compiled under other options or another Ajv is never loaded.
 */
export function precompiledPath(sourceHash: string, role: Role): string {
  const { version } = require('ajv/package.json') as { version: string };
  const options = createHash('sha256').update(`${version}:${JSON.stringify(ajvOptions(role))}`).digest('hex').slice(0, 16);
  return assetPath(`dist/spec-json/${sourceHash}.${role}.${options}.cjs`);
}

/** The cache key of a validator: what it checks and where its schema is. */
export const validatorKey = {
  body: (pointer: string) => `body:${pointer}`,
  response: (pointer: string) => `response:${pointer}`,
  params: (op: Operation, location: 'path' | 'query') => `params:${op.operationId}:${location}`,
};

/** The schema a set of path or query parameters is checked against (compiled outside the document). */
export function paramsSchema(op: Operation, location: 'path' | 'query') {
  const params = op.parameters.filter((p) => p.in === location);
  return {
    type: 'object',
    properties: Object.fromEntries(params.map((p) => [p.name, rebase(p.schema)])),
    required: params.filter((p) => p.required).map((p) => p.name),
  };
}

export interface SpecValidators {
  spec: Spec;
  operations: Operation[];
  byId: Map<string, Operation>;
  /** Validates (and applies defaults to) a request body. */
  body(op: Operation, body: unknown): Issue[];
  /** Validates, coerces and defaults path and query parameters in place. */
  params(op: Operation, location: 'path' | 'query', values: Record<string, unknown>): Issue[];
  /** Checks a response: documented status, media type and body schema. */
  response(op: Operation, status: number, contentType: string | undefined, body: unknown): Issue[];
}

const shared = new WeakMap<Spec, SpecValidators>();

/**
 * The validators of a spec, built once per process: they are pure functions of the frozen spec, so every
 * fake can share them (compiling Ajv schemas per app made each createFake() pay for it again).
 */
export function validatorsFor(spec: Spec = loadSpec()): SpecValidators {
  let validators = shared.get(spec);
  if (!validators) {
    validators = createValidators(spec);
    shared.set(spec, validators);
  }
  return validators;
}

export function createValidators(spec: Spec = loadSpec()): SpecValidators {
  const operations = indexOperations(spec);
  const byId = operationsById(operations);
  const ajvs = new Map<Role, Ajv2020>();
  const ajv = (role: Role) => {
    let instance = ajvs.get(role);
    if (!instance) ajvs.set(role, (instance = newAjv(spec, role)));
    return instance;
  };
  const hash = sourceHashOf(spec);
  const precompiled = new Map<Role, Record<string, ValidateFunction> | null>();
  const ahead = (role: Role, key: string): ValidateFunction | undefined => {
    let module = precompiled.get(role);
    if (module === undefined) {
      const path = hash === undefined ? undefined : precompiledPath(hash, role);
      precompiled.set(role, (module = path && existsSync(path) ? (require(path) as Record<string, ValidateFunction>) : null));
    }
    return module?.[key];
  };
  const cache = new Map<string, ValidateFunction>();
  const validator = (role: Role, key: string, compile: (ajv: Ajv2020) => ValidateFunction | undefined) => {
    let fn = cache.get(key);
    if (!fn) {
      fn = ahead(role, key) ?? compile(ajv(role));
      if (!fn) throw new Error(`no schema for ${key}`);
      cache.set(key, fn);
    }
    return fn;
  };
  const byPointer = (role: 'body' | 'response', pointer: string) =>
    validator(role, validatorKey[role](pointer), (a) => a.getSchema(`${SPEC_ID}${pointer}`));
  const paramValidator = (op: Operation, location: 'path' | 'query') =>
    validator('params', validatorKey.params(op, location), (a) => a.compile(paramsSchema(op, location)));

  return {
    spec,
    operations,
    byId,
    body(op, body) {
      if (!op.requestBody) return [];
      const fn = byPointer('body', op.requestBody.schemaPointer);
      return fn(body) ? [] : toIssues('body', fn.errors, spec);
    },
    params(op, location, values) {
      const fn = paramValidator(op, location);
      if (fn(values)) return [];
      // A parameter's x-fluxra-error-code (e.g. INVALID_AGENT_ID) applies to any problem with it.
      return toIssues(location, fn.errors, spec).map((issue) => {
        const name = issue.where.split('/')[1];
        const param = op.parameters.find((p) => p.in === location && p.name === name);
        return param?.errorCode ? { ...issue, errorCode: param.errorCode } : issue;
      });
    },
    response(op, status, contentType, body) {
      const documented = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
      if (!documented) {
        return [{ where: 'response/status', message: `status ${status} is not documented for ${op.operationId} (documented: ${Object.keys(op.responses).join(', ')})` }];
      }
      const mediaTypes = Object.keys(documented.content);
      if (mediaTypes.length === 0) {
        const empty = body === undefined || body === '' || body === null || (typeof body === 'object' && Object.keys(body as object).length === 0 && status === 204);
        return empty ? [] : [{ where: 'response/body', message: `status ${status} documents no body` }];
      }
      const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
      if (!mediaTypes.includes(mediaType)) {
        return [{ where: 'response/content-type', message: `content type "${contentType ?? ''}" is not documented for ${status} (documented: ${mediaTypes.join(', ')})` }];
      }
      const pointer = documented.content[mediaType];
      if (!pointer) return [];
      const fn = byPointer('response', pointer);
      return fn(body) ? [] : toIssues('response/body', fn.errors, spec);
    },
  };
}

/** Parameter schemas are compiled outside the spec document, so their local $refs must point into it. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${SPEC_ID}${v}` : rebase(v)]),
  );
}

function toIssues(root: string, errors: ErrorObject[] | null | undefined, spec: Spec): Issue[] {
  const list = errors ?? [];
  // A failed oneOf explains itself better than the failures of each branch.
  const oneOfPaths = list.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath);
  const kept = list.filter((e) => !oneOfPaths.some((p) => e.schemaPath !== p && e.schemaPath.startsWith(p.replace(/\/oneOf$/, '/oneOf/'))));
  const issues = kept.map((e) => {
    const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
    const where = `${root}${e.instancePath}`;
    const custom = e.keyword === 'oneOf' && typeof parent['x-fluxra-oneof-message'] === 'string' ? `${where} ${parent['x-fluxra-oneof-message']}` : undefined;
    let message = custom ?? `${where} ${e.message ?? 'is invalid'}`;
    if (!custom && e.keyword === 'additionalProperties') message = `${where} has unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    if (!custom && e.keyword === 'enum') message = `${where} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    if (!custom && e.keyword === 'required') message = `${where === root ? root : where} must have property "${(e.params as { missingProperty: string }).missingProperty}"`;
    return { where, message, errorCode: findErrorCode(e, spec) };
  });
  // De-duplicate identical messages (allOf wrappers repeat them).
  return issues.filter((issue, i) => issues.findIndex((o) => o.message === issue.message) === i);
}

function findErrorCode(e: ErrorObject, spec: Spec): string | undefined {
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  if (!parent) return undefined;
  if (typeof parent['x-fluxra-error-code'] === 'string') return parent['x-fluxra-error-code'] as string;
  // A missing property takes the code of the property's own schema (a missing key name is INVALID_KEY_NAME).
  if (e.keyword === 'required') {
    const name = (e.params as { missingProperty: string }).missingProperty;
    const props = parent.properties as Record<string, unknown> | undefined;
    const prop = props?.[name] ? deref<Record<string, unknown>>(spec, props[name]) : undefined;
    if (typeof prop?.['x-fluxra-error-code'] === 'string') return prop['x-fluxra-error-code'] as string;
  }
  return undefined;
}
