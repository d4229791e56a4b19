// The control plane over HTTP: routes, parameters and bodies come from control.openapi.yaml (the same
// spec-first rule as the API), each operation calls the in-process function of the same name.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { parse } from 'yaml';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { ApiError, invalidRequest } from '../http/errors.ts';
import { toApiError, writeError } from '../http/write-error.ts';
import type { Spec } from '../spec/load.ts';
import { indexOperations } from '../spec/operations.ts';
import { TENANT_HEADER } from '../state/tenant.ts';
import type { Control } from './control.ts';
import { mountSwaggerUi } from './docs.ts';

export const CONTROL_SPEC_PATH = fileURLToPath(new URL('./control.openapi.yaml', import.meta.url));
const DASHBOARD_PATH = fileURLToPath(new URL('./dashboard.html', import.meta.url));

export const controlSpecText = () => readFileSync(CONTROL_SPEC_PATH, 'utf8');

interface Ctx {
  tenant: string | undefined;
  body: any;
  query: Record<string, string | undefined>;
  params: Record<string, string>;
  baseUrl: string;
}
type Result = { status: number; body: unknown };
const ok = (body: unknown, status = 200): Result => ({ status, body });

function routes(control: Control): Record<string, (ctx: Ctx) => Result | Promise<Result>> {
  const on = (ctx: Ctx) => ({ tenant: ctx.tenant });
  const int = (value: string | undefined, name: string) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw invalidRequest(`${name} must be a positive integer`);
    return n;
  };
  return {
    resetFake: (c) => ok(control.reset({ ...on(c), all: c.body?.all })),
    takeSnapshot: (c) => ok(control.snapshot(on(c))),
    restoreSnapshot: (c) => ok(control.restore(c.body, on(c))),
    seedFake: async (c) => ok(await control.seed(c.body, on(c)), 201),
    inspectTenant: (c) => ok(control.inspect(on(c))),
    getClock: (c) => ok(control.clock.get(on(c))),
    freezeClock: (c) => ok(control.clock.freeze(c.body?.at, on(c))),
    unfreezeClock: (c) => ok(control.clock.unfreeze(on(c))),
    setClock: (c) => ok(control.clock.set(c.body.at, on(c))),
    advanceClock: (c) => ok(control.clock.advance(c.body, on(c))),
    listOutbox: (c) => ok(control.outbox.list({ agent_id: c.query.agent_id }, on(c))),
    clearOutbox: (c) => ok(control.outbox.clear({ agent_id: c.query.agent_id }, on(c))),
    listFaults: (c) => ok(control.faults.list(on(c))),
    addFault: (c) => ok(control.faults.add(c.body, on(c)), 201),
    clearFaults: (c) => ok(control.faults.clear(on(c))),
    deleteFault: (c) => ok(control.faults.remove(c.params.fault_id, on(c))),
    listJournal: (c) => ok(control.journal.list({ operation_id: c.query.operation_id, tenant: c.query.tenant, limit: int(c.query.limit, 'limit') }, on(c))),
    clearJournal: (c) => ok(control.journal.clear(on(c))),
    exportHar: (c) => ok(control.journal.har({ operation_id: c.query.operation_id, tenant: c.query.tenant }, { ...on(c), baseUrl: c.baseUrl })),
    getSettings: (c) => ok(control.settings.get(on(c))),
    updateSettings: (c) => ok(control.settings.update(c.body, on(c))),
    listTenants: () => ok(control.tenants.list()),
    deleteTenant: (c) => ok(control.tenants.delete(c.params.tenant)),
  };
}

// The control spec is configuration, not state: parsed and compiled once per process.
let compiled: { specText: string; spec: Spec; ajv: Ajv2020 } | undefined;
function compiledSpec() {
  if (!compiled) {
    const specText = controlSpecText();
    const spec = parse(specText) as Spec;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajvFormats.default(ajv);
    ajv.addSchema(spec as object, 'control.json');
    compiled = { specText, spec, ajv };
  }
  return compiled;
}

export function mountControl(app: Express, control: Control) {
  const { specText, spec, ajv } = compiledSpec();
  const handlers = routes(control);
  const router = express.Router();
  router.use(express.json({ limit: '50mb', type: ['application/json', 'application/*+json'] }));
  router.use((req, res, next) => {
    res.locals.journal = false;
    // Reads (the dashboard polls them) stay out of the request log; changes are logged.
    if (req.method === 'GET') res.locals.quietLog = true;
    next();
  });

  for (const op of indexOperations(spec)) {
    const path = op.expressPath.replace(/^\/__fake/, '');
    if (op.operationId === 'getControlSpec') {
      router.get(path, (_req, res) => void res.type('application/yaml').send(specText));
      continue;
    }
    if (op.operationId === 'getDashboard') {
      router.get(path, (_req, res) => void res.type('text/html').send(readFileSync(DASHBOARD_PATH, 'utf8')));
      continue;
    }
    const handler = handlers[op.operationId];
    if (!handler) throw new Error(`control operation ${op.operationId} has no handler`);
    let validateBody: ValidateFunction | undefined;
    if (op.requestBody) validateBody = ajv.getSchema(`control.json${op.requestBody.schemaPointer}`);
    router[op.method](path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        let body = req.body;
        if (op.requestBody) {
          if (body === undefined && op.requestBody.required) throw invalidRequest('a JSON request body is required');
          if (body !== undefined && validateBody && !validateBody(body)) {
            throw invalidRequest((validateBody.errors ?? []).map((e) => `body${e.instancePath} ${e.message}`).join('; '));
          }
        }
        const header = req.headers[TENANT_HEADER];
        const result = await handler({
          tenant: typeof header === 'string' && header !== '' ? header : undefined,
          body,
          query: req.query as Record<string, string | undefined>,
          params: req.params as Record<string, string>,
          baseUrl: `${req.protocol}://${req.headers.host ?? '127.0.0.1'}`,
        });
        res.status(result.status).json(result.body);
      } catch (err) {
        next(err);
      }
    });
  }
  router.use((req, _res, next) => next(new ApiError('NOT_FOUND', `no control route for ${req.method} ${req.baseUrl}${req.path}`)));
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const apiError = toApiError(err);
    if (apiError.code === 'INTERNAL_ERROR' && !(err instanceof ApiError)) console.error('[fluxra-fake] control error', err);
    writeError(res, apiError);
  });
  mountSwaggerUi(app, '/__fake/docs', spec, 'Fluxra fake control plane');
  app.use('/__fake', router);
}
