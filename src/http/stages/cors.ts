// Stage 3: CORS for browser clients of the API plane. The docs say nothing about CORS; the fake answers
// any origin, as Prism's mock does (openapi.yaml x-fluxra-inferred-defaults.cors), so a web client can be
// developed against it. Mounted after the fake-only routes (docs and the control plane, which never send
// CORS headers: a page on another origin must not drive the fake's test controls) and before tenant
// resolution, so a preflight needs no tenant and the tenant stage's own errors (400, 503) are readable too.
// The `cors` package writes the headers (Fetch standard, "CORS protocol"):
// - `Access-Control-Allow-Origin: *`: the API authenticates with an Authorization header, never cookies, so
//   no credentialed mode is needed (and `*` forbids it, which keeps a page from riding on cookies);
// - preflight (OPTIONS with Access-Control-Request-Method): 204 with the API's methods and the request
//   headers a client uses (Authorization, Content-Type, X-Fluxra-Tenant, and whatever else it asks for,
//   as Prism does), cached for 10 minutes; a plain OPTIONS still gets the routes' 405 with Allow;
// - exposed (on every answer but a preflight): the headers a client reads on errors (WWW-Authenticate on 401, Retry-After on 429 and 503,
//   Allow on 405), which a browser otherwise hides from scripts.
import cors from 'cors';
import type { Stage } from '../locals.ts';

export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'X-Fluxra-Tenant'];
export const CORS_EXPOSED_HEADERS = ['WWW-Authenticate', 'Retry-After', 'Allow'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function corsStage(): Stage {
  const handler = cors((req, callback) => {
    const requested = String(req.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h && !CORS_ALLOWED_HEADERS.some((a) => a.toLowerCase() === h.toLowerCase()));
    callback(null, {
      origin: '*',
      methods: METHODS,
      allowedHeaders: [...CORS_ALLOWED_HEADERS, ...requested],
      exposedHeaders: CORS_EXPOSED_HEADERS,
      maxAge: 600,
      optionsSuccessStatus: 204,
    });
  });
  const exposed = CORS_EXPOSED_HEADERS.join(',');
  return (req, res, next) => {
    if (req.method === 'OPTIONS') {
      // A plain OPTIONS is not CORS: it goes on to the routes (405 with Allow), with the usual headers.
      if (req.headers['access-control-request-method'] === undefined) return next();
      return handler(req, res, next);
    }
    // Any other request gets the two headers the package writes for an actual response with these
    // options (origin '*', no credentials: no Vary), set here without building its options per request.
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', exposed);
    next();
  };
}
