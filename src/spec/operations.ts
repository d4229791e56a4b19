// The operations index: one entry per (path, method) of the spec, with everything the router, the
// security layer, the validators and the contract suite need, resolved once.
import type { OpenAPIV3_1 } from 'openapi-types';
import { deref, escapePointer, type Spec } from './load.ts';

export type Provenance = 'quickstart' | 'documented' | 'inferred';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface SecurityAlternative {
  /** Scheme names that must all pass (one OpenAPI requirement object), with the scopes each needs. */
  schemes: { name: string; scopes: string[] }[];
}

export interface ParameterInfo {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: unknown;
  errorCode?: string;
}

export interface ResponseInfo {
  status: string;
  /** media type -> JSON pointer of its schema in the spec (undefined: no schema given) */
  content: Record<string, string | undefined>;
  headers: string[];
}

export interface Operation {
  operationId: string;
  method: HttpMethod;
  path: string;
  /** Express-style path: /api/agents/:agent_id */
  expressPath: string;
  provenance: Provenance;
  tags: string[];
  /** Empty list: public. */
  security: SecurityAlternative[];
  /** `x-fluxra-owner-param`: the path parameter that must name the authenticated agent. */
  ownerParam?: string;
  parameters: ParameterInfo[];
  requestBody?: { required: boolean; schemaPointer: string; mediaType: string };
  responses: Record<string, ResponseInfo>;
  raw: OpenAPIV3_1.OperationObject;
}

type Extended<T> = T & Record<`x-${string}`, unknown>;

export function indexOperations(spec: Spec): Operation[] {
  const operations: Operation[] = [];
  for (const [path, rawItem] of Object.entries(spec.paths ?? {})) {
    const item = deref<OpenAPIV3_1.PathItemObject>(spec, rawItem);
    for (const method of HTTP_METHODS) {
      const op = item[method] as Extended<OpenAPIV3_1.OperationObject> | undefined;
      if (!op) continue;
      if (!op.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      const base = `#/paths/${escapePointer(path)}/${method}`;
      operations.push({
        operationId: op.operationId,
        method,
        path,
        expressPath: path.replace(/\{([^}]+)\}/g, ':$1'),
        provenance: (op['x-fluxra-provenance'] as Provenance) ?? 'inferred',
        tags: op.tags ?? [],
        ownerParam: op['x-fluxra-owner-param'] as string | undefined,
        security: (op.security ?? spec.security ?? []).map((req) => ({
          schemes: Object.entries(req).map(([name, scopes]) => ({ name, scopes: [...scopes] })),
        })).filter((alt) => alt.schemes.length > 0),
        parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => {
          const param = deref<Extended<OpenAPIV3_1.ParameterObject>>(spec, p);
          return {
            name: param.name,
            in: param.in as ParameterInfo['in'],
            required: Boolean(param.required),
            schema: param.schema ?? {},
            errorCode: param['x-fluxra-error-code'] as string | undefined,
          };
        }),
        requestBody: requestBodyInfo(spec, op, base),
        responses: responsesInfo(spec, op, base),
        raw: op,
      });
    }
  }
  return operations;
}

function requestBodyInfo(spec: Spec, op: OpenAPIV3_1.OperationObject, base: string) {
  if (!op.requestBody) return undefined;
  const body = deref<OpenAPIV3_1.RequestBodyObject>(spec, op.requestBody);
  const mediaType = Object.keys(body.content)[0];
  return {
    required: Boolean(body.required),
    mediaType,
    schemaPointer: `${base}/requestBody/content/${escapePointer(mediaType)}/schema`,
  };
}

/**
 * The responses a server may give. Besides `responses`, an operation's `x-fluxra-also-responses` (statuses
 * accepted from production, kept out of `responses` so generators and mocks do not take them as the answer)
 * and a response's `x-fluxra-also-content` (media types accepted with any body, kept out of `content` so a
 * generated client does not type every error as `Error | string`) count as documented.
 */
function responsesInfo(spec: Spec, op: Extended<OpenAPIV3_1.OperationObject>, base: string) {
  const out: Record<string, ResponseInfo> = {};
  const listed = Object.entries(op.responses ?? {}).map(([status, raw]) => [status, raw, `${base}/responses/${status}`] as const);
  const also = Object.entries((op['x-fluxra-also-responses'] ?? {}) as Record<string, unknown>).map(
    ([status, raw]) => [status, raw, `${base}/x-fluxra-also-responses/${status}`] as const,
  );
  for (const [status, raw, place] of [...listed, ...also]) {
    // Pointers go through the $ref target so Ajv compiles each shared response schema once.
    const ref = (raw as { $ref?: string }).$ref;
    const response = deref<Extended<OpenAPIV3_1.ResponseObject>>(spec, raw);
    const prefix = ref ?? place;
    const content: Record<string, string | undefined> = {};
    for (const [mediaType, media] of Object.entries(response.content ?? {})) {
      content[mediaType] = media.schema ? `${prefix}/content/${escapePointer(mediaType)}/schema` : undefined;
    }
    for (const mediaType of Object.keys((response['x-fluxra-also-content'] ?? {}) as object)) content[mediaType] ??= undefined;
    out[status] ??= { status, content, headers: Object.keys(response.headers ?? {}) };
  }
  return out;
}

export function operationsById(operations: Operation[]): Map<string, Operation> {
  const byId = new Map<string, Operation>();
  for (const op of operations) {
    if (byId.has(op.operationId)) throw new Error(`duplicate operationId ${op.operationId}`);
    byId.set(op.operationId, op);
  }
  return byId;
}
