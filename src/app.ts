// Builds the Express app from openapi.yaml: one route per operation, bound to its handler by
// operationId. It never listens (src/index.ts does).
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { bindHandlers } from './http/bind.ts';
import { ApiError } from './http/errors.ts';
import { operationHandler, type ResponseViolation } from './http/pipeline.ts';
import type { HandlerMap } from './http/types.ts';
import { toApiError, writeError } from './http/write-error.ts';
import type { Operation } from './spec/operations.ts';
import type { SpecValidators } from './spec/validators.ts';
import { DEFAULT_TENANT, TENANT_HEADER, TENANT_PATTERN, type Tenancy, type TenantState } from './state/tenant.ts';

export interface AppHooks {
  /** Runs first for every API operation (faults, rate limits). Return true when it answered. */
  beforeOperation?(op: Operation, req: Request, res: Response, state: TenantState): boolean | Promise<boolean>;
  /** Sees every finished exchange (the request journal). */
  afterExchange?(exchange: Exchange): void;
  /** Mounts extra routes before tenant resolution and the API (control plane, docs, dashboard). */
  mount?(app: Express): void;
}

export interface Exchange {
  tenant: string;
  operationId: string | null;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  req: Request;
  res: Response;
  /** The response body as sent (undefined when over the capture limit). */
  responseBody?: string;
}

const CAPTURE_LIMIT = 256 * 1024;

export interface AppDeps {
  tenancy: Tenancy;
  validators: SpecValidators;
  handlers: HandlerMap;
  hooks?: AppHooks;
  logger?: (line: string) => void;
  onResponseViolation?: (violation: ResponseViolation) => void;
}

export function stateOf(res: Response): TenantState {
  return res.locals.state as TenantState;
}

export function createApp(deps: AppDeps): Express {
  const { tenancy, validators, hooks = {} } = deps;
  const bound = bindHandlers(validators.operations, deps.handlers);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');

  // Access log and journal: one line per request (method, path, operation, status, time). The response
  // body is captured (bounded) for the journal; 'close' also sees exchanges whose connection was dropped.
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    const chunks: Buffer[] = [];
    let captured = 0;
    const capture = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function' || captured > CAPTURE_LIMIT) return;
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      captured += buf.length;
      chunks.push(buf);
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.write = ((chunk: unknown, ...rest: unknown[]) => (capture(chunk, rest[0]), write(chunk, ...rest))) as Response['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => (capture(chunk, rest[0]), end(chunk, ...rest))) as Response['end'];
    res.once('close', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const operationId = (res.locals.operationId as string | undefined) ?? null;
      const status = res.writableFinished ? res.statusCode : 0; // 0: connection dropped before an answer
      if (!res.locals.quietLog) deps.logger?.(`${req.method} ${req.originalUrl} ${operationId ?? '-'} ${status || 'dropped'} ${durationMs.toFixed(1)}ms`);
      hooks.afterExchange?.({
        tenant: (res.locals.tenant as string) ?? DEFAULT_TENANT,
        operationId, method: req.method, path: req.originalUrl, status, durationMs, req, res,
        responseBody: captured > CAPTURE_LIMIT ? undefined : Buffer.concat(chunks).toString('utf8'),
      });
    });
    next();
  });

  // Fake-only routes (control plane, docs, dashboard) come before tenant resolution: they pick their
  // tenant themselves, so a full tenant table cannot lock the control plane out.
  hooks.mount?.(app);

  // X-Fluxra-Tenant selects an isolated state (fake only; production ignores the header).
  app.use((req, res, next) => {
    const raw = req.headers[TENANT_HEADER];
    const id = typeof raw === 'string' && raw !== '' ? raw : DEFAULT_TENANT;
    if (!TENANT_PATTERN.test(id)) return next(new ApiError('INVALID_REQUEST', `${TENANT_HEADER} must match ${TENANT_PATTERN.source}`));
    const state = tenancy.get(id);
    if (!state) return next(new ApiError('SERVICE_UNAVAILABLE', `tenant limit reached (${tenancy.maxTenants}); reset the fake or delete tenants`, {}, 503));
    res.locals.tenant = id;
    res.locals.state = state;
    res.locals.startedAt = state.clock.now();
    next();
  });

  app.use(express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] }));

  const knownPaths = new Map<string, string[]>();
  for (const op of validators.operations) {
    const handle = operationHandler(op, bound.get(op.operationId)!, {
      validators,
      stateOf: (req) => stateOf(req.res!),
      onResponseViolation: deps.onResponseViolation ?? ((v) => console.error(`[fluxra-fake] RESPONSE VIOLATION ${v.operationId} ${v.status}: ${v.issues.map((i) => i.message).join('; ')}`)),
    });
    app[op.method](op.expressPath, async (req: Request, res: Response, next: NextFunction) => {
      res.locals.operationId = op.operationId;
      try {
        if (hooks.beforeOperation && (await hooks.beforeOperation(op, req, res, stateOf(res)))) return;
      } catch (err) {
        return next(err);
      }
      return handle(req, res, next);
    });
    knownPaths.set(op.expressPath, [...(knownPaths.get(op.expressPath) ?? []), op.method.toUpperCase()]);
  }

  // A known path with another method: 405 with Allow (RFC 9110 15.5.6); anything else: 404.
  for (const [path, methods] of knownPaths) {
    app.all(path, (_req, _res, next) => next(new ApiError('METHOD_NOT_ALLOWED', `method not allowed; use ${methods.join(', ')}`, { Allow: methods.join(', ') })));
  }
  app.use((req, _res, next) => next(new ApiError('NOT_FOUND', `no route for ${req.method} ${req.path}`)));

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const apiError = toApiError(err);
    if (apiError.code === 'INTERNAL_ERROR' && !(err instanceof ApiError)) console.error('[fluxra-fake] internal error', err);
    const state = res.locals.state as TenantState | undefined;
    writeError(res, apiError, { plainText401: state?.settings.plainText401 });
  });
  return app;
}
