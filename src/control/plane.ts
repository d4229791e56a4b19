// The control plane as a plane (src/http/plane.ts): its own OpenAPI document, validators compiled from
// it, handlers bound by operationId, served by the same operation handler and error writer as the API.
// It has no security (loopback only) and picks its tenant itself, so it is mounted before the tenant stage.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BodyLimits } from '../http/body.ts';
import type { Plane, ResponseViolation } from '../http/plane.ts';
import { TENANT_HEADER } from '../tenant/tenancy.ts';
import type { Control } from './control.ts';
import { controlHandlers, type ControlEnv } from './handlers.ts';

import { CONTROL_PREFIX, controlSpecText, controlValidators } from './spec.ts';

const DASHBOARD_PATH = fileURLToPath(new URL('./dashboard.html', import.meta.url));
let dashboard: string | undefined;
export { CONTROL_PREFIX, controlSpec, controlSpecText } from './spec.ts';

export interface ControlPlaneOptions {
  body: BodyLimits;
  onResponseViolation: (v: ResponseViolation) => void;
}

export function controlPlane(control: Control, options: ControlPlaneOptions): Plane<ControlEnv> {
  return {
    name: 'control',
    document: 'control.openapi.yaml',
    validators: controlValidators(),
    handlers: controlHandlers(control, { specText: controlSpecText, dashboardHtml: () => (dashboard ??= readFileSync(DASHBOARD_PATH, 'utf8')) }),
    prefix: CONTROL_PREFIX,
    body: options.body,
    schemes: [],
    env(req) {
      const header = req.headers[TENANT_HEADER];
      return { tenant: typeof header === 'string' && header !== '' ? header : undefined, baseUrl: `${req.protocol}://${req.headers.host ?? '127.0.0.1'}` };
    },
    authenticate: async () => undefined,
    // Reads (the dashboard polls them) stay out of the request log; changes are logged.
    quiet: (req) => req.method === 'GET',
    onResponseViolation: options.onResponseViolation,
  };
}
