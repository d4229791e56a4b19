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
// Every request whose first path segment is not a fake-only page's runs stages 1 and 3 to 7 on Node's
// own request and response, without Express's layer (its prototype swap per request, its router, its
// res.send): the same stage functions in the same order, which need nothing of Express (issue 13: that
// layer cost more than the API's own work). Express serves the fake-only pages, and is the app a user
// holds: `createFake().app` is an Express app, usable with supertest, app.listen, or mounted in another.
// The app never listens (src/index.ts does).
import express, { type Express } from 'express';
import { DEFAULTS } from './defaults.ts';
import type { ApiEnv } from './domains/define.ts';
import { docsRouter } from './http/docs.ts';
import type { Plane } from './http/plane.ts';
import { captureStage, type Exchange } from './http/stages/capture.ts';
import type { ExchangeRequest, ExchangeResponse, Next } from './http/locals.ts';
import { chain, firstSegment } from './http/stages/chain.ts';
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
  logger?: (line: string) => void;
  onExchange?: (exchange: Exchange) => void;
}

export function createApp(options: AppOptions): Express {
  const { planes } = options;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');

  const capture = captureStage({ captureLimitBytes: DEFAULTS.captureLimitBytes, logger: options.logger, onExchange: options.onExchange });
  app.use(capture);
  // Stage 2: an Express router of the fake-only pages, each mounted at its path. Only requests whose
  // first path segment is one of theirs reach Express (below).
  const fakeOnly = express.Router();
  const fakeOnlySegments = new Set<string>();
  for (const docs of options.docs ?? []) {
    fakeOnly.use(docs.path, docsRouter(docs.path, docs.spec, docs.title));
    fakeOnlySegments.add(firstSegment(docs.path));
  }
  if (planes.control) {
    fakeOnly.use(planes.control.prefix, planeRouter(planes.control), notFoundStage('control route'));
    fakeOnlySegments.add(firstSegment(planes.control.prefix));
  }
  app.use(fakeOnly);
  // Stages 3 to 6, for what the fake-only pages leave (/docs/unknown is an API 404, with CORS).
  const api = chain([...(options.cors ? [corsStage()] : []), tenantStage(options.tenancy), planeRouter(planes.api), notFoundStage()]);
  app.use(api);
  const errors = errorStage();
  app.use(errors);

  // The same stages for an API request, on Node's request and response. Express's app function calls
  // app.handle (also when the app is mounted in another Express app), so this is where every request
  // of every way of serving the app comes in.
  const serveApi = chain([capture, api]);
  // Express's app function is `(req, res, next) => app.handle(req, res, next)`, untyped in @types/express.
  const entry = app as unknown as { handle(req: ExchangeRequest, res: ExchangeResponse, next?: Next): void };
  const viaExpress = entry.handle.bind(app);
  entry.handle = (req, res, next) => {
    if (fakeOnlySegments.has(firstSegment(req.url))) return viaExpress(req, res, next);
    res.locals ??= Object.create(null);
    serveApi(req, res, (err?: unknown) => {
      // Express's router would hand a throw of the error stage to its final handler; here nothing is
      // around the request's event, so a throw would end the process: the exchange is cut instead.
      try {
        errors(err, req, res, () => {});
      } catch (thrown) {
        console.error('[fluxra-fake] could not write an error answer', thrown);
        res.destroy();
      }
    });
  };
  return app;
}
