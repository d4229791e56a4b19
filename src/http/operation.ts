// One request through one operation of a plane, in this order:
//   hooks' decision (faults, rate limits) -> path parameters -> security (credentials, scopes, ownership)
//   -> query -> body parsing -> body validation -> handler -> response self-check -> send.
// Security comes before the body is parsed or validated: a request without valid credentials is a 401
// whatever its body holds (a malformed one included). Every failure is an ApiError for the one writer.
import { parse as parseQuery } from 'node:querystring';
import { ApiError, forbidden, internalError, invalidRequest, isErrorCode } from '../errors.ts';
import type { Handler, HandlerResult } from '../handler.ts';
import type { Operation } from '../spec/operations.ts';
import type { Issue } from '../spec/validators.ts';
import type { Principal } from '../auth/verify.ts';
import type { BodyParser } from './body.ts';
import type { ExchangeRequest, ExchangeResponse, Next } from './locals.ts';
import type { Plane } from './plane.ts';
import { respond } from './respond.ts';

function rejectIssues(issues: Issue[]): never {
  // One code for the whole answer: a specific code (INVALID_AGENT_ID...) wins when any issue has one.
  const code = issues.find((i) => i.errorCode && isErrorCode(i.errorCode))?.errorCode ?? 'INVALID_REQUEST';
  throw new ApiError(code as ApiError['code'], issues.map((i) => i.message).join('; '));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Hooks, verifiers, parsers and handlers may answer at once or later; only a promise is awaited. */
const isPromise = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> => typeof (value as { then?: unknown } | undefined)?.then === 'function';

/** Runs one operation for a request the plane's router matched, with the path parameters it found. */
export type OperationRun = (req: ExchangeRequest, res: ExchangeResponse, next: Next, pathParams: Record<string, string>) => void | Promise<void>;

/**
 * The query as Express's 'simple' query parser read it (node:querystring over the URL's query, which
 * ends at a '#'): repeated names become arrays, nothing nests.
 */
export function queryOf(url: string): Record<string, unknown> {
  const start = url.indexOf('?');
  if (start < 0) return {};
  const hash = url.indexOf('#', start);
  return { ...parseQuery(hash < 0 ? url.slice(start + 1) : url.slice(start + 1, hash)) };
}

/**
 * The handler of one operation. What the operation does not have is skipped, not run empty
 * (no path parameters: no path validation; public: no security step; no query parameters: the query is
 * not parsed; no request body: no parser), and a step that answers at once is not awaited, so a simple
 * request runs without waiting on the microtask queue between steps.
 */
export function operationHandler<Env>(plane: Plane<Env>, op: Operation, handler: Handler<Env>, parseBody: BodyParser): OperationRun {
  const { validators } = plane;
  const hasPath = op.parameters.some((p) => p.in === 'path');
  const hasQuery = op.parameters.some((p) => p.in === 'query');
  const secured = op.security.length > 0;
  return async (req, res, next, pathParams) => {
    res.locals.operationId = op.operationId;
    res.locals.plane = plane.name;
    try {
      const env = plane.env(req, res);
      if (plane.before) {
        const pending = plane.before(op, env);
        const decision = isPromise(pending) ? await pending : pending;
        if (decision?.delayMs) await sleep(decision.delayMs);
        if (decision?.drop) {
          req.socket.destroy();
          return;
        }
        if (decision?.error) throw decision.error;
      }

      // The router's parameters are this request's own object: validated (and coerced) in place.
      const params = pathParams;
      if (hasPath) {
        const pathIssues = validators.params(op, 'path', params);
        if (pathIssues.length) rejectIssues(pathIssues);
      }

      let principal: Principal | undefined;
      if (secured) {
        const verified = plane.authenticate(op, env, req.headers.authorization);
        principal = isPromise(verified) ? await verified : verified;
        // Ownership is part of access control, so it is decided before the body is looked at.
        if (op.ownerParam && principal && params[op.ownerParam] !== principal.agentId) {
          throw forbidden(`${op.ownerParam} must be the authenticated agent: only the agent itself may use ${op.operationId}`);
        }
      }

      let query: Record<string, unknown> = {};
      if (hasQuery) {
        query = queryOf(req.url);
        const queryIssues = validators.params(op, 'query', query);
        if (queryIssues.length) rejectIssues(queryIssues);
      }
      let body: unknown;
      if (op.requestBody) {
        const parsed = parseBody(req, res);
        body = isPromise(parsed) ? await parsed : parsed;
        if (body === undefined) {
          if (op.requestBody.required) throw invalidRequest('a JSON request body is required');
        } else {
          const bodyIssues = validators.body(op, body);
          if (bodyIssues.length) rejectIssues(bodyIssues);
        }
      }

      const pending = handler({ ...env, op, principal, body, params, query, headers: req.headers });
      send(plane, op, isPromise(pending) ? await pending : pending, req, res);
    } catch (err) {
      next(err);
    }
  };
}

function send<Env>(plane: Plane<Env>, op: Operation, result: HandlerResult, req: ExchangeRequest, res: ExchangeResponse) {
  const contentType = result.body === undefined ? undefined : (result.contentType ?? 'application/json');
  // The fake checks itself: an answer its document does not describe is a bug in the fake, never sent.
  const issues = plane.validators.response(op, result.status, contentType, result.body);
  if (issues.length) {
    plane.onResponseViolation({ operationId: op.operationId, status: result.status, issues });
    throw internalError(`the fake produced an undocumented response for ${op.operationId}`);
  }
  const text = result.body === undefined ? undefined : contentType === 'application/json' ? JSON.stringify(result.body) : String(result.body);
  respond(req, res, result.status, result.headers, contentType, text);
}
