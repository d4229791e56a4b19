// The Express app, as the list of stages every request passes, in order (ARCHITECTURE.md draws it):
//   1 capture  - times the exchange, logs one line, hands it to the journal when it is over
//   2 fake-only routes, before any tenant is chosen - docs (/docs, /__fake/docs) and the control plane
//   3 cors     - the API plane's CORS: preflights answered, Access-Control-* headers on every API answer
//                (after the fake-only routes, so the control plane and the docs never send them)
//   4 tenant   - X-Fluxra-Tenant picks the tenant's world (503 when the table is full)
//   5 routes   - the API plane: one route per operation of openapi.yaml, each running the operation
//                pipeline (src/http/operation.ts: security before the body is parsed, self-check after)
//   6 fallback - 404 NOT_FOUND for anything else (405 with Allow for a known path, inside each plane)
//   7 errors   - the one error writer answers whatever was thrown, on either plane
// The app never listens (src/index.ts does).
import express, { type Express } from 'express';
import { DEFAULTS } from './defaults.ts';
import type { ApiEnv } from './domains/define.ts';
import { docsRouter } from './http/docs.ts';
import type { Plane } from './http/plane.ts';
import { captureStage, type Exchange } from './http/stages/capture.ts';
import { chain, firstSegment, forSegments } from './http/stages/chain.ts';
import { corsStage } from './http/stages/cors.ts';
import { errorStage } from './http/stages/errors.ts';
import { notFoundStage } from './http/stages/fallbacks.ts';
import { planeRouter } from './http/stages/routes.ts';
import { tenantStage } from './http/stages/tenant.ts';
import type { Spec } from './spec/load.ts';
import type { Tenancy } from './tenant/tenancy.ts';

export interface AppOptions {
  tenancy: Tenancy;
  planes: {
    api: Plane<ApiEnv>;
    /** Served under its prefix before tenant resolution; absent: its routes are plain 404s. */
    control?: Plane<any>;
  };
  /** Swagger UI pages: each mounted at its path. */
  docs?: { path: string; spec: Spec; title: string }[];
  /** CORS on the API plane (stage 3); off: no Access-Control-* header anywhere. */
  cors?: boolean;
  /** Extra routes, mounted before tenant resolution. */
  mount?(app: Express): void;
  logger?: (line: string) => void;
  onExchange?: (exchange: Exchange) => void;
}

export function createApp(options: AppOptions): Express {
  const { planes } = options;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');

  app.use(captureStage({ captureLimitBytes: DEFAULTS.captureLimitBytes, logger: options.logger, onExchange: options.onExchange }));
  // Stage 2, as one layer entered by the first path segment (src/http/stages/chain.ts): an Express
  // router of the fake-only pages, each mounted at its path as before.
  const fakeOnly = express.Router();
  const fakeOnlyPaths: string[] = [];
  for (const docs of options.docs ?? []) {
    fakeOnly.use(docs.path, docsRouter(docs.path, docs.spec, docs.title));
    fakeOnlyPaths.push(docs.path);
  }
  if (planes.control) {
    fakeOnly.use(planes.control.prefix, planeRouter(planes.control), notFoundStage('control route'));
    fakeOnlyPaths.push(planes.control.prefix);
  }
  if (fakeOnlyPaths.length) app.use(forSegments(fakeOnlyPaths.map(firstSegment), fakeOnly));
  options.mount?.(app);
  // Stages 3 to 6 for every other request, in a row (one layer).
  app.use(chain([...(options.cors ? [corsStage()] : []), tenantStage(options.tenancy), planeRouter(planes.api), notFoundStage()]));
  app.use(errorStage());
  return app;
}
