// /docs (and /__fake/docs): Swagger UI over an OpenAPI document, from the installed swagger-ui-dist (works
// offline). We serve its static bundle ourselves rather than through swagger-ui-express: swagger-ui-dist
// 5.18 and later, and so swagger-ui-express, depend on @scarf/scarf, an install-time telemetry
// postinstall; 5.17.14 is the last release with no dependencies (package.json pins it exactly).
// Swagger UI 5 shows a red warning for any jsonSchemaDialect other than the OAS base dialect, so the page
// gets a copy without that line; the file itself keeps it (Prism validates 2020-12 keywords only when the
// document names that dialect).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';
import type { Spec } from '../spec/load.ts';

const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
/** The files the page loads; nothing else of the package (its demo index.html, package.json) is served. */
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'favicon-16x16.png']);

function forSwaggerUi(spec: Spec): Record<string, unknown> {
  const { jsonSchemaDialect: _dropped, ...rest } = structuredClone(spec) as Spec & Record<string, unknown>;
  // "Try it out" must hit this fake, not production: the page's own origin comes first.
  rest.servers = [{ url: '/', description: 'This fake (same origin)' }, ...(spec.servers ?? []).filter((s) => s.url !== '/')];
  return rest;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<link rel="icon" type="image/png" href="./favicon-32x32.png" sizes="32x32">
<link rel="stylesheet" href="./swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="./swagger-ui-bundle.js"></script>
<script src="./init.js"></script>
</body>
</html>
`;

// No inline script, so the page also works under a strict Content-Security-Policy.
const INIT = `window.ui = SwaggerUIBundle({
  url: './openapi.json',
  dom_id: '#swagger-ui',
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  deepLinking: true,
  validatorUrl: null,
});
`;

// The page's copy of a document, made on the first request for it and kept per process: it is derived
// from the frozen spec only, and making it for every createFake() cost each fake a clone of the document.
const swaggerDocs = new WeakMap<Spec, string>();
function swaggerDoc(spec: Spec): string {
  let doc = swaggerDocs.get(spec);
  if (doc === undefined) swaggerDocs.set(spec, (doc = JSON.stringify(forSwaggerUi(spec))));
  return doc;
}

/** Swagger UI for `spec`, to mount at `path` (it redirects to the trailing slash its relative assets need). */
export function docsRouter(path: string, spec: Spec, title: string): Router {
  const html = page(title);
  const router = express.Router();
  router.use((req, res, next) => {
    res.locals.quietLog = true;
    if (req.originalUrl.split('?')[0] === path) return res.redirect(301, `${path}/`);
    next();
  });
  router.get('/', (_req, res) => void res.type('html').send(html));
  router.get('/init.js', (_req, res) => void res.type('js').send(INIT));
  router.get('/openapi.json', (_req, res) => void res.type('json').send(swaggerDoc(spec)));
  router.get('/:asset', (req, res, next) => {
    if (!ASSETS.has(req.params.asset)) return next();
    res.sendFile(join(SWAGGER_UI_DIR, req.params.asset), { maxAge: '1h' });
  });
  return router;
}
