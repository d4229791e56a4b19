// One request through one operation (DESIGN 3): path parameters -> security -> query -> body ->
// handler -> response self-check -> send. Every failure is an ApiError for the one error writer.
import type { NextFunction, Request, Response } from 'express';
import { authenticate } from '../auth/verify.ts';
import type { Operation } from '../spec/operations.ts';
import type { Issue, SpecValidators } from '../spec/validators.ts';
import type { TenantState } from '../state/tenant.ts';
import { ApiError, forbidden, invalidRequest } from './errors.ts';
import type { Handler, HandlerResult } from './types.ts';

export interface ResponseViolation {
  operationId: string;
  status: number;
  issues: Issue[];
}

export interface PipelineDeps {
  validators: SpecValidators;
  stateOf(req: Request): TenantState;
  onResponseViolation(violation: ResponseViolation): void;
}

function rejectIssues(issues: Issue[]): never {
  // One code for the whole answer: a specific code (INVALID_AGENT_ID...) wins when any issue has one.
  const code = issues.find((i) => i.errorCode)?.errorCode ?? 'INVALID_REQUEST';
  throw new ApiError(code as ApiError['code'], issues.map((i) => i.message).join('; '));
}

const hasBody = (req: Request) => Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;

export function operationHandler(op: Operation, handler: Handler, deps: PipelineDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const state = deps.stateOf(req);
      const params = { ...(req.params as Record<string, string>) };
      const pathIssues = deps.validators.params(op, 'path', params);
      if (pathIssues.length) rejectIssues(pathIssues);

      const principal = await authenticate(op, state, req.headers.authorization);
      // Ownership is part of access control, so it is decided before the body is looked at.
      if (op.ownerParam && principal && params[op.ownerParam] !== principal.agentId) {
        throw forbidden(`${op.ownerParam} must be the authenticated agent: only the agent itself may use ${op.operationId}`);
      }

      const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
      const queryIssues = deps.validators.params(op, 'query', query);
      if (queryIssues.length) rejectIssues(queryIssues);

      let body: unknown = undefined;
      if (op.requestBody) {
        if (hasBody(req) && !req.is('application/json') && !req.is('+json')) {
          throw invalidRequest(`Content-Type must be application/json (got "${req.headers['content-type'] ?? 'none'}")`);
        }
        body = req.body;
        if (body === undefined) {
          if (op.requestBody.required) throw invalidRequest('a JSON request body is required');
        } else {
          const bodyIssues = deps.validators.body(op, body);
          if (bodyIssues.length) rejectIssues(bodyIssues);
        }
      }

      const result = await handler({ op, state, principal, body, params, query, headers: req.headers });
      send(op, result, res, deps);
    } catch (err) {
      next(err);
    }
  };
}

function send(op: Operation, result: HandlerResult, res: Response, deps: PipelineDeps) {
  const contentType = result.body === undefined ? undefined : 'application/json';
  // The fake checks itself: an answer the spec does not document is a bug in the fake, never sent.
  const issues = deps.validators.response(op, result.status, contentType, result.body);
  if (issues.length) {
    deps.onResponseViolation({ operationId: op.operationId, status: result.status, issues });
    throw new ApiError('INTERNAL_ERROR', `the fake produced an undocumented response for ${op.operationId}`);
  }
  res.status(result.status);
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  if (result.body === undefined) res.end();
  else res.json(result.body);
}
