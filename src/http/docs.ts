// /docs (and /__fake/docs): Swagger UI over an OpenAPI document, served from the installed
// swagger-ui-dist (works offline). Swagger UI 5 shows a red warning for any jsonSchemaDialect other than
// the OAS base dialect, so it gets a copy without that line; the file itself keeps it (Prism validates
// 2020-12 keywords only when the document names that dialect).
import express, { type Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Spec } from '../spec/load.ts';

function forSwaggerUi(spec: Spec): Record<string, unknown> {
  const { jsonSchemaDialect: _dropped, ...rest } = structuredClone(spec) as Spec & Record<string, unknown>;
  // "Try it out" must hit this fake, not production: the page's own origin comes first.
  rest.servers = [{ url: '/', description: 'This fake (same origin)' }, ...(spec.servers ?? []).filter((s) => s.url !== '/')];
  return rest;
}

/** Swagger UI for `spec`, to mount at `path` (it redirects to the trailing slash its relative assets need). */
export function docsRouter(path: string, spec: Spec, title: string): Router {
  const doc = forSwaggerUi(spec);
  const options = { swaggerOptions: { validatorUrl: null }, customSiteTitle: title };
  const router = express.Router();
  router.use((req, res, next) => {
    res.locals.quietLog = true;
    if (req.originalUrl.split('?')[0] === path) return res.redirect(301, `${path}/`);
    next();
  });
  router.use(...swaggerUi.serveFiles(doc, options));
  router.get('/', swaggerUi.setup(doc, options));
  return router;
}
