// TypeScript types of openapi.yaml's schemas and operations, read from the generated file
// (src/spec/types.gen.ts, `npm run gen:types`; test/spec.test.ts fails when it is stale), so views and
// handlers are checked by tsc against the spec.
import type { components, operations } from './types.gen.ts';

export type OperationId = keyof operations;
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : undefined;
export type RequestBody<Id extends OperationId> = operations[Id] extends { requestBody?: infer R } ? JsonOf<NonNullable<R>> : undefined;
export type ParamsOf<Id extends OperationId, In extends 'path' | 'query'> = operations[Id]['parameters'] extends { [K in In]?: infer P }
  ? [NonNullable<P>] extends [never] ? Record<string, never> : NonNullable<P>
  : Record<string, never>;

type Responses<Id extends OperationId> = operations[Id]['responses'];
/** The operation's documented success statuses (errors are thrown as ApiErrors, never returned). */
export type SuccessStatus<Id extends OperationId> = Extract<keyof Responses<Id>, 200 | 201 | 202 | 204>;
/** The JSON body of any of the operation's success responses (undefined for a body-less one). */
export type SuccessBody<Id extends OperationId> = JsonOf<Responses<Id>[SuccessStatus<Id>]>;
