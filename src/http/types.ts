import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '../auth/verify.ts';
import type { Operation } from '../spec/operations.ts';
import type { TenantState } from '../state/tenant.ts';

/** What a handler gets: validated input and the tenant's state. Handlers never touch `res`. */
export interface HandlerContext<Body = any, Params = Record<string, string>, Query = Record<string, any>> {
  op: Operation;
  state: TenantState;
  principal: Principal | undefined;
  body: Body;
  params: Params;
  query: Query;
  headers: IncomingHttpHeaders;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: HandlerContext) => HandlerResult | Promise<HandlerResult>;
export type HandlerMap = Record<string, Handler>;

/** The authenticated agent; handlers of protected operations call this. */
export function caller(ctx: HandlerContext): Principal {
  if (!ctx.principal) throw new Error(`${ctx.op.operationId} is public: it has no caller`);
  return ctx.principal;
}

// ---- Types generated from openapi.yaml (npm run gen:types), so handlers are typed by the spec. ----
import type { components, operations } from '../spec/types.gen.ts';

export type OperationId = keyof operations;
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : undefined;
export type RequestBody<Id extends OperationId> = operations[Id] extends { requestBody?: infer R } ? JsonOf<NonNullable<R>> : undefined;
type ParamsOf<Id extends OperationId, In extends 'path' | 'query'> = operations[Id]['parameters'] extends { [K in In]?: infer P }
  ? [NonNullable<P>] extends [never] ? Record<string, never> : NonNullable<P>
  : Record<string, never>;
export type OpContext<Id extends OperationId> = HandlerContext<RequestBody<Id>, ParamsOf<Id, 'path'>, ParamsOf<Id, 'query'>>;
export type OpHandler<Id extends OperationId> = (ctx: OpContext<Id>) => HandlerResult | Promise<HandlerResult>;

/** Declares a domain's handlers: keys must be operationIds of openapi.yaml, each typed by its operation. */
export function defineHandlers<T extends { [K in keyof T]: K extends OperationId ? OpHandler<K> : never }>(handlers: T): HandlerMap {
  return handlers as unknown as HandlerMap;
}
