// Request-scoped values, typed by declaration merging on Express's `Locals` (instead of string keys on
// `res.locals`). Each is set by one stage of the pipeline (src/app.ts lists them) and read by later ones.
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

export {};
