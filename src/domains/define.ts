// How a domain declares its handlers: keyed by openapi.yaml's operationIds and typed by them, so a typo,
// an undocumented success status or a body the spec does not describe fails tsc (and, at run time, the
// response self-check). The handler contract itself is src/handler.ts.
import type { Handler, HandlerInput, HandlerMap } from '../handler.ts';
import type { OperationId, ParamsOf, RequestBody, SuccessBody, SuccessStatus } from '../spec/schema-types.ts';
import type { World } from './world.ts';

/** The API plane's environment: the tenant's world. */
export interface ApiEnv {
  state: World;
}

export type ApiInput<Id extends OperationId> = HandlerInput<ApiEnv, RequestBody<Id>, ParamsOf<Id, 'path'>, ParamsOf<Id, 'query'>>;
/** What a handler may answer: one of the operation's documented success statuses, with its documented body. */
export interface ApiResult<Id extends OperationId> {
  status: SuccessStatus<Id>;
  body?: SuccessBody<Id>;
  headers?: Record<string, string>;
}
export type ApiHandler<Id extends OperationId> = (input: ApiInput<Id>) => ApiResult<Id> | Promise<ApiResult<Id>>;
export type ApiHandlerMap = HandlerMap<ApiEnv>;

export function defineHandlers<T extends { [K in keyof T]: K extends OperationId ? ApiHandler<K> : never }>(handlers: T): ApiHandlerMap {
  return handlers as unknown as Record<string, Handler<ApiEnv>>;
}
