// A plane: one OpenAPI document served by the same pipeline. The fake serves two, the Fluxra API
// (openapi.yaml, src/api.ts) and the control plane (src/control/control.openapi.yaml,
// src/control/plane.ts); both are bound, validated, checked and written exactly alike.
import type { Principal } from '../auth/verify.ts';
import type { ApiError } from '../errors.ts';
import type { HandlerMap } from '../handler.ts';
import type { Operation } from '../spec/operations.ts';
import type { Issue, SpecValidators } from '../spec/validators.ts';
import type { BodyLimits } from './body.ts';
import type { ExchangeRequest, ExchangeResponse } from './locals.ts';

/** What a hook decides before an operation runs; the pipeline carries it out. */
export interface Decision {
  /** wait this long first */
  delayMs?: number;
  /** then destroy the connection without an answer */
  drop?: boolean;
  /** or answer this error (through the one error writer) */
  error?: ApiError;
}

export interface ResponseViolation {
  operationId: string;
  status: number;
  issues: Issue[];
}

export interface Plane<Env> {
  /** 'api' or 'control': the journal and the log tell them apart. */
  name: string;
  /** The document's file name, for messages ('openapi.yaml'). */
  document: string;
  validators: SpecValidators;
  handlers: HandlerMap<Env>;
  /** Mounted under this prefix, which every path of its document starts with ('' for none). */
  prefix: string;
  /** Request bodies: the size limit (413) and the nesting limit (400). */
  body: BodyLimits;
  /** Security schemes this plane can verify; binding fails for any other (src/http/bind.ts). */
  schemes: readonly string[];
  /** The handler's environment for this request (the API: the tenant's world). */
  env(req: ExchangeRequest, res: ExchangeResponse): Env;
  /** Verifies the operation's security requirements: the principal, or an ApiError thrown. */
  authenticate(op: Operation, env: Env, authorization: string | undefined): Principal | undefined | Promise<Principal | undefined>;
  /** Keep this request out of the request log (the dashboard's polling). */
  quiet?(req: ExchangeRequest): boolean;
  /** Runs before any route of the plane: an error here answers the request (the control plane's access rules). */
  admit?(req: ExchangeRequest): ApiError | undefined;
  /** Runs first: faults and rate limits. */
  before?(op: Operation, env: Env): Decision | undefined | Promise<Decision | undefined>;
  /** An answer the plane's document does not describe (a bug of the fake's): never sent. */
  onResponseViolation(violation: ResponseViolation): void;
}
