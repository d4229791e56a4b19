// Ajv validators compiled from the spec, shared by the fake (request validation, response self-check)
// and the contract suite (response conformance). One Ajv 2020-12 instance per role, the spec added once
// under the plain id 'spec.json' (Ajv 8.20 resolves ids with fast-uri, which mishandles a URN id), each
// schema compiled lazily on first use and cached. The control plane's document gets its own set.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { indexOperations, operationsById, type Operation } from './operations.ts';
import { deref, loadSpec, type Spec } from './load.ts';

export interface Issue {
  /** where: body/content, query/limit, path/agent_id, response/body/... */
  where: string;
  message: string;
  /** an `x-fluxra-error-code` on the failing schema or parameter, e.g. INVALID_KEY_NAME */
  errorCode?: string;
}

const SPEC_ID = 'spec.json';

/**
 * response: checks only. body: applies defaults (type: text...), never coerces (123 is not "123").
 * params: query and path values arrive as strings, so they are coerced to the schema's types.
 */
type Role = 'response' | 'body' | 'params';

function newAjv(spec: Spec, role: Role) {
  const ajv = new Ajv2020({
    strict: false, // OpenAPI and x- keywords sit beside JSON Schema keywords
    allErrors: true, // report every problem at once
    verbose: true, // gives parentSchema, where x-fluxra-error-code lives
    useDefaults: role !== 'response',
    coerceTypes: role === 'params' ? 'array' : false,
    validateSchema: false, // see below
  });
  ajvFormats.default(ajv);
  // No schema is checked against the JSON Schema meta-schema at run time: for the document Ajv would check
  // its root only (an OpenAPI document is not a schema), and compiling the meta-schema cost every process
  // 40-80 ms per Ajv instance, six of them. test/spec.test.ts checks every schema of both documents
  // against the meta-schema instead (and Redocly lints them).
  ajv.addSchema(spec as object, SPEC_ID);
  return ajv;
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
  const responseAjv = newAjv(spec, 'response');
  const bodyAjv = newAjv(spec, 'body');
  const paramsAjv = newAjv(spec, 'params');
  const cache = new Map<string, ValidateFunction>();

  const byPointer = (ajv: Ajv2020, key: string, pointer: string) => {
    const cacheKey = `${key}:${pointer}`;
    let fn = cache.get(cacheKey);
    if (!fn) {
      fn = ajv.getSchema(`${SPEC_ID}${pointer}`);
      if (!fn) throw new Error(`no schema at ${pointer}`);
      cache.set(cacheKey, fn);
    }
    return fn;
  };

  const paramSchemas = new Map<string, ValidateFunction>();
  const paramValidator = (op: Operation, location: 'path' | 'query') => {
    const key = `${op.operationId}:${location}`;
    let fn = paramSchemas.get(key);
    if (!fn) {
      const params = op.parameters.filter((p) => p.in === location);
      const schema = {
        type: 'object',
        properties: Object.fromEntries(params.map((p) => [p.name, rebase(p.schema)])),
        required: params.filter((p) => p.required).map((p) => p.name),
      };
      fn = paramsAjv.compile(schema);
      paramSchemas.set(key, fn);
    }
    return fn;
  };

  return {
    spec,
    operations,
    byId,
    body(op, body) {
      if (!op.requestBody) return [];
      const fn = byPointer(bodyAjv, 'req', op.requestBody.schemaPointer);
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
      const fn = byPointer(responseAjv, 'res', pointer);
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
