// Request-scoped values, typed by declaration merging on Express's `Locals` (instead of string keys on
// `res.locals`). Each is set by one stage of the pipeline (src/app.ts lists them) and read by later ones.
// The pipeline reads and writes Node's own request and response (the API plane is served without
// Express's layer, src/app.ts); Express's extend them, so the control plane runs the same code.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Tenant } from '../tenant/tenant.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** The tenant of an API request (stages/tenant.ts). */
      tenant?: Tenant;
      /** When the request arrived, on the tenant's clock, in ms since the epoch (stages/tenant.ts). */
      startedAtMs?: number;
      /** The operation being served, for the log and the journal (stages/routes.ts). */
      operationId?: string;
      /** Which plane serves the request: only API exchanges are journalled (stages/routes.ts). */
      plane?: string;
      /** Keep the exchange out of the request log (the dashboard's polling, static assets). */
      quietLog?: boolean;
      /** Size of the request body as received, once it was read (body.ts). */
      requestBodyBytes?: number;
    }
  }
}

/** A request as the stages read it: Node's own, or Express's (which adds `originalUrl`, and `body` once parsed). */
export type ExchangeRequest = IncomingMessage & { url: string; method: string; originalUrl?: string; body?: unknown };
/** A response as the stages write it: Node's own with the request's locals (src/app.ts gives it them), or Express's. */
export type ExchangeResponse = ServerResponse & { locals: Express.Locals };
/** Express's `next`: on, or with an error to the error stage. */
export type Next = (err?: unknown) => void;
/** One stage of the pipeline, with Express's middleware semantics (a rejected promise is an error). */
export type Stage = (req: ExchangeRequest, res: ExchangeResponse, next: Next) => unknown;
/** The error stage: Express tells it from a stage by its four parameters. */
export type ErrorStage = (err: unknown, req: ExchangeRequest, res: ExchangeResponse, next: Next) => void;

/** The path of the request as it arrived (without the query), also when a router stripped a mount path. */
export const requestPath = (req: ExchangeRequest): string => {
  const url = req.originalUrl ?? req.url;
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
};
