// Stages run in a row without Express's router between them. Express walks its whole layer list for
// every request, matching each layer's path, and the API's stages (capture, cors, tenant, routes, 404)
// need no path matching: they run in a row here, on Node's request and response (src/app.ts), and
// the fake-only pages (docs, the control plane) are told apart by the first path segment. Express's
// semantics are kept: `next()` goes on, `next(err)` leaves for the error stage, a rejected promise is
// an error.
import type { ExchangeRequest, ExchangeResponse, Next, Stage } from '../locals.ts';

export function chain(stages: Stage[]): Stage {
  return (req: ExchangeRequest, res: ExchangeResponse, done: Next) => {
    let i = 0;
    const next = (err?: unknown) => {
      if (err !== undefined && err !== null) return done(err);
      const stage = stages[i++];
      if (!stage) return done();
      try {
        const result = stage(req, res, next) as unknown;
        if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(undefined, done);
      } catch (thrown) {
        done(thrown);
      }
    };
    next();
  };
}

/**
 * The first segment of a request's path, lower-cased as Express's case-insensitive mount paths compare;
 * of an absolute-form target (`GET http://host/path`, RFC 9112 3.2.2) too, as Express reads its path.
 */
export function firstSegment(target: string): string {
  let url = target;
  if (url.charCodeAt(0) !== 47) {
    const scheme = url.indexOf('://');
    const slash = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
    url = slash < 0 ? '/' : url.slice(slash);
  }
  let end = 1;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    if (c === 47 || c === 63 || c === 35) break; // '/', '?', '#'
    end++;
  }
  return url.slice(1, end).toLowerCase();
}
