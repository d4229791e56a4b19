// Stage 5, routes: a plane's operations, bound to their handlers by operationId, found with one lookup
// per request in a radix tree (find-my-way, the router Fastify uses) instead of Express walking one route
// after another; a known path with another method is 405 with Allow (RFC 9110 15.5.6).
// Matching is what Express's router did, which the tests pin (test/routes.test.ts): case-insensitive, a
// trailing slash ignored, duplicate slashes not collapsed (`//api/messages` is no route), HEAD served by
// the GET operation, fixed segments matched as written (`/api/%6Dessages` is no route), path parameters
// percent-decoded once (`%2F` inside one stays inside it; a malformed escape in one is 400), and an
// operation of any path before a 405 of another (PATCH /api/messages/unread is editMessage's).
import { METHODS } from 'node:http';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { ApiError, invalidRequest } from '../../errors.ts';
import { bindHandlers } from '../bind.ts';
import { jsonBodyParser } from '../body.ts';
import type { ExchangeRequest, ExchangeResponse, Next, Stage } from '../locals.ts';
import { operationHandler, type OperationRun } from '../operation.ts';
import type { Plane } from '../plane.ts';

/** Path parameters are bounded by the server's header size (the request line), not by the router. */
const MAX_PARAM_LENGTH = 64 * 1024;

/** find-my-way decodes paths before matching; every '%' escaped, it sees the raw path, as Express did. */
const raw = (url: string) => (url.includes('%') ? url.replace(/%/g, '%25') : url);

/**
 * Express's decoding of path parameters: once, and a malformed escape is the client's error. An empty
 * parameter (`/api/blocks//`) is no match, as in Express: undefined.
 */
function decodeParams(params: Record<string, string | undefined>): Record<string, string> | ApiError | undefined {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (!value) return undefined;
    try {
      out[name] = value.includes('%') ? decodeURIComponent(value) : value;
    } catch {
      return invalidRequest(`Failed to decode param '${value}'`);
    }
  }
  return out;
}

/** The two trees of a plane's document: operations (`{ index }` in the operation list; find-my-way
 * takes a falsy store for none) and the 405s. */
interface Trees {
  router: ReturnType<typeof FindMyWay>;
  others: ReturnType<typeof FindMyWay>;
}

/**
 * The trees depend only on the document's operations, which are immutable and shared by every app of a
 * process (src/spec/validators.ts), so they are built once: building them was most of a createFake() call.
 * Each app binds its own handlers to the operations' indexes.
 */
const treesOf = new WeakMap<object, Map<string, Trees>>();

function buildTrees(document: string, operations: readonly { path: string; expressPath: string; method: string }[], prefix: string): Trees {
  const options = { caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: false, maxParamLength: MAX_PARAM_LENGTH };
  const router = FindMyWay(options);
  /** The 405s, looked up only when no operation matched. */
  const others = FindMyWay(options);
  const noop = () => {};
  const methodsByPath = new Map<string, HTTPMethod[]>();
  operations.forEach((op, index) => {
    if (!op.path.startsWith(prefix)) throw new Error(`${document}: ${op.path} is outside the plane's prefix ${prefix}`);
    const path = op.expressPath.slice(prefix.length) || '/';
    const method = op.method.toUpperCase() as HTTPMethod;
    router.on(method, path, noop, { index });
    const methods = methodsByPath.get(path) ?? [];
    methods.push(method);
    methodsByPath.set(path, methods);
  });
  for (const [path, methods] of methodsByPath) {
    // As Express did: HEAD of a path with a GET operation is that operation (Node sends no body).
    if (methods.includes('GET') && !methods.includes('HEAD')) router.on('HEAD', path, noop, router.find('GET', path)!.store as { index: number });
    const allow = methods.join(', ');
    const rest = (METHODS as HTTPMethod[]).filter((m) => !methods.includes(m) && !(m === 'HEAD' && methods.includes('GET')));
    others.on(rest, path, noop, allow);
  }
  return { router, others };
}

export function planeRouter<Env>(plane: Plane<Env>): Stage {
  const bound = bindHandlers(plane.document, plane.validators.operations, plane.handlers, plane.schemes);
  const operations = plane.validators.operations;
  // Refused at start, not at the first request: an operation outside the plane's prefix is a wiring error.
  for (const op of operations) if (!op.path.startsWith(plane.prefix)) throw new Error(`${plane.document}: ${op.path} is outside the plane's prefix ${plane.prefix}`);
  // Built on the plane's first request (a fake whose control plane is never called never pays for its
  // trees), then shared by every later app of the process.
  let trees: Trees | undefined;
  const treesFor = (): Trees => {
    const byPrefix = treesOf.get(operations) ?? new Map<string, Trees>();
    treesOf.set(operations, byPrefix);
    let built = byPrefix.get(plane.prefix);
    if (!built) byPrefix.set(plane.prefix, (built = buildTrees(plane.document, operations, plane.prefix)));
    return built;
  };
  // One body parser for the plane, made once.
  const parseBody = jsonBodyParser(plane.body);
  const runs: OperationRun[] = operations.map((op) => operationHandler(plane, op, bound.get(op.operationId)!, parseBody));
  const admit = plane.admit?.bind(plane);
  const quiet = plane.quiet?.bind(plane);

  return (req: ExchangeRequest, res: ExchangeResponse, next: Next) => {
    if (admit) {
      const refused = admit(req);
      if (refused) return next(refused);
    }
    if (quiet?.(req)) res.locals.quietLog = true;
    // req.url is relative to where the plane is mounted (Express strips the control plane's prefix) and holds the query,
    // which find-my-way splits off itself.
    const url = raw(req.url);
    const method = req.method as HTTPMethod;
    const { router, others } = (trees ??= treesFor());
    const found = router.find(method, url);
    const params = found && decodeParams(found.params);
    if (params instanceof ApiError) return next(params);
    if (params) return runs[(found!.store as { index: number }).index](req, res, next, params);
    const other = others.find(method, url);
    const checked = other && decodeParams(other.params);
    if (checked instanceof ApiError) return next(checked);
    if (!checked) return next();
    const allow = other!.store as string;
    next(new ApiError('METHOD_NOT_ALLOWED', `method not allowed; use ${allow}`, { Allow: allow }));
  };
}
