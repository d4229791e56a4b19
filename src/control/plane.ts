// The control plane as a plane (src/http/plane.ts): its own OpenAPI document, validators compiled from
// it, handlers bound by operationId, served by the same operation handler and error writer as the API.
// It picks its tenant itself, so it is mounted before the tenant stage. Who may reach it is access.ts's
// to decide: the fake's own address only, no foreign origin, JSON bodies only, and the control token
// when one is set (the security scheme `controlToken` of control.openapi.yaml).
import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import type { BodyLimits } from '../http/body.ts';
import type { ExchangeRequest } from '../http/locals.ts';
import type { Plane, ResponseViolation } from '../http/plane.ts';
import { assetPath } from '../spec/assets.ts';
import { TENANT_HEADER } from '../tenant/tenancy.ts';
import { createAccessCheck, type ControlAccess } from './access.ts';
import type { Control } from './control.ts';
import { controlHandlers, type ControlEnv } from './handlers.ts';
import { CONTROL_PREFIX, controlSpecText, controlValidators } from './spec.ts';

export { CONTROL_PREFIX, controlSpec, controlSpecText } from './spec.ts';

// Shipped as a file (package.json "files"), read from the package root whether this runs compiled or not.
const DASHBOARD_PATH = assetPath('src/control/dashboard.html');
let dashboard: string | undefined;

export interface ControlPlaneOptions {
  body: BodyLimits;
  access?: ControlAccess;
  onResponseViolation: (v: ResponseViolation) => void;
}

/** Express's req.protocol with its default of trusting no proxy: the socket's own. */
const protocolOf = (req: ExchangeRequest) => ((req.socket as TLSSocket).encrypted ? 'https' : 'http');

export function controlPlane(control: Control, options: ControlPlaneOptions): Plane<ControlEnv> {
  const access = createAccessCheck(options.access);
  return {
    name: 'control',
    document: 'control.openapi.yaml',
    validators: controlValidators(),
    handlers: controlHandlers(control, { specText: controlSpecText, dashboardHtml: () => (dashboard ??= readFileSync(DASHBOARD_PATH, 'utf8')) }),
    prefix: CONTROL_PREFIX,
    body: options.body,
    schemes: ['controlToken'],
    env(req) {
      const header = req.headers[TENANT_HEADER];
      // The Host was admitted (access.ts), so it names this fake.
      return { tenant: typeof header === 'string' && header !== '' ? header : undefined, baseUrl: `${protocolOf(req)}://${req.headers.host ?? '127.0.0.1'}` };
    },
    admit: (req) => access.admit(req),
    // The document and the dashboard page (security: [] in control.openapi.yaml) reveal nothing.
    authenticate: async (op, _env, authorization) => {
      if (op.security.length > 0) access.checkToken(authorization);
      return undefined;
    },
    // Reads (the dashboard polls them) stay out of the request log; changes are logged.
    quiet: (req) => req.method === 'GET',
    onResponseViolation: options.onResponseViolation,
  };
}
