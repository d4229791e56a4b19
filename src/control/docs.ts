// /docs: Swagger UI over openapi.yaml, served from the installed swagger-ui-dist (works offline).
// Swagger UI 5 shows a red warning for any jsonSchemaDialect other than the OAS base dialect
// (toolchain.md section 2), so it gets a copy without that line; the file itself keeps it for Prism.
import express, { type Express, type Request, type Response, type NextFunction } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Spec } from '../spec/load.ts';

export function forSwaggerUi(spec: Spec): Record<string, unknown> {
  const { jsonSchemaDialect: _dropped, ...rest } = structuredClone(spec) as Spec & Record<string, unknown>;
  // "Try it out" must hit this fake, not production: the page's own origin comes first.
  rest.servers = [{ url: '/', description: 'This fake (same origin)' }, ...(spec.servers ?? []).filter((s) => s.url !== '/')];
  return rest;
}

/** Mounts Swagger UI for `spec` at `path` (with a redirect to the trailing slash its relative assets need). */
export function mountSwaggerUi(app: Express, path: string, spec: Spec, title: string) {
  const doc = forSwaggerUi(spec);
  const options = { swaggerOptions: { validatorUrl: null }, customSiteTitle: title };
  const quiet = (_req: Request, res: Response, next: NextFunction) => {
    res.locals.journal = false;
    res.locals.quietLog = true;
    next();
  };
  app.get(path, (req, res, next) => (req.path === path ? res.redirect(301, `${path}/`) : next()));
  const router = express.Router();
  router.use(quiet, ...swaggerUi.serveFiles(doc, options));
  router.get('/', swaggerUi.setup(doc, options));
  app.use(path, router);
}
