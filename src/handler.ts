// The handler contract: what the HTTP machinery (src/http) hands an operation's handler and what the
// handler gives back. It sits between the two sides, so the domains (src/domains) and the control plane
// implement it and src/http runs it, and neither side imports the other. A handler is pure: it reads and
// changes state through its environment and returns {status, body, headers}; it never touches `res`.
import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from './auth/verify.ts';
import type { Operation } from './spec/operations.ts';

/** Validated input of one request, plus the plane's environment (the API: the tenant's world). */
export type HandlerInput<Env, Body = any, Params = Record<string, string>, Query = Record<string, any>> = Env & {
  op: Operation;
  /** The authenticated caller; undefined for public operations. */
  principal: Principal | undefined;
  body: Body;
  params: Params;
  query: Query;
  headers: IncomingHttpHeaders;
};

export interface HandlerResult {
  status: number;
  /** JSON unless `contentType` says otherwise (then a string). */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Handler<Env> = (input: HandlerInput<Env>) => HandlerResult | Promise<HandlerResult>;
export type HandlerMap<Env> = Record<string, Handler<Env>>;

/** The authenticated agent; handlers of protected operations call this. */
export function caller(input: { op: Operation; principal: Principal | undefined }): Principal {
  if (!input.principal) throw new Error(`${input.op.operationId} is public: it has no caller`);
  return input.principal;
}
