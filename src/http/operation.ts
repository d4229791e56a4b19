// One request through one operation of a plane, in this order:
//   hooks' decision (faults, rate limits) -> path parameters -> security (credentials, scopes, ownership)
//   -> query -> body parsing -> body validation -> handler -> response self-check -> send.
// Security comes before the body is parsed or validated: a request without valid credentials is a 401
// whatever its body holds (a malformed one included). Every failure is an ApiError for the one writer.
import type { NextFunction, Request, Response } from 'express';
import { ApiError, forbidden, internalError, invalidRequest, isErrorCode } from '../errors.ts';
import type { Handler, HandlerResult } from '../handler.ts';
import type { Operation } from '../spec/operations.ts';
import type { Issue } from '../spec/validators.ts';
import { jsonBodyParser } from './body.ts';
import type { Plane } from './plane.ts';

function rejectIssues(issues: Issue[]): never {
  // One code for the whole answer: a specific code (INVALID_AGENT_ID...) wins when any issue has one.
  const code = issues.find((i) => i.errorCode && isErrorCode(i.errorCode))?.errorCode ?? 'INVALID_REQUEST';
  throw new ApiError(code as ApiError['code'], issues.map((i) => i.message).join('; '));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one operation for a request the plane's router matched, with the path parameters it found. */
export type OperationRun = (req: Request, res: Response, next: NextFunction, pathParams: Record<string, string>) => void | Promise<void>;

/** The Express handler of one operation. */
export function operationHandler<Env>(plane: Plane<Env>, op: Operation, handler: Handler<Env>): OperationRun {
  const { validators } = plane;
  const parseBody = jsonBodyParser(plane.body);
  return async (req, res, next, pathParams) => {
    res.locals.operationId = op.operationId;
    res.locals.plane = plane.name;
    try {
      const env = plane.env(req, res);
      const decision = plane.before ? await plane.before(op, env) : undefined;
      if (decision?.delayMs) await sleep(decision.delayMs);
      if (decision?.drop) {
        req.socket.destroy();
        return;
      }
      if (decision?.error) throw decision.error;

      const params = { ...pathParams };
      const pathIssues = validators.params(op, 'path', params);
      if (pathIssues.length) rejectIssues(pathIssues);

      const principal = await plane.authenticate(op, env, req.headers.authorization);
      // Ownership is part of access control, so it is decided before the body is looked at.
      if (op.ownerParam && principal && params[op.ownerParam] !== principal.agentId) {
        throw forbidden(`${op.ownerParam} must be the authenticated agent: only the agent itself may use ${op.operationId}`);
      }

      const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
      const queryIssues = validators.params(op, 'query', query);
      if (queryIssues.length) rejectIssues(queryIssues);
      const body = op.requestBody ? await parseBody(req, res) : undefined;
      if (op.requestBody) {
        if (body === undefined) {
          if (op.requestBody.required) throw invalidRequest('a JSON request body is required');
        } else {
          const bodyIssues = validators.body(op, body);
          if (bodyIssues.length) rejectIssues(bodyIssues);
        }
      }

      const result = await handler({ ...env, op, principal, body, params, query, headers: req.headers });
      send(plane, op, result, res);
    } catch (err) {
      next(err);
    }
  };
}

function send<Env>(plane: Plane<Env>, op: Operation, result: HandlerResult, res: Response) {
  const contentType = result.body === undefined ? undefined : (result.contentType ?? 'application/json');
  // The fake checks itself: an answer its document does not describe is a bug in the fake, never sent.
  const issues = plane.validators.response(op, result.status, contentType, result.body);
  if (issues.length) {
    plane.onResponseViolation({ operationId: op.operationId, status: result.status, issues });
    throw internalError(`the fake produced an undocumented response for ${op.operationId}`);
  }
  res.status(result.status);
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  if (result.body === undefined) res.end();
  else if (contentType === 'application/json') res.json(result.body);
  else res.type(contentType!).send(result.body);
}
