// The API plane (src/http/plane.ts): openapi.yaml, its validators, the domains' handlers bound by
// operationId, the tenant's world as the handlers' environment, and the security verifiers of src/auth.
import { authenticate, KNOWN_SCHEMES } from './auth/verify.ts';
import { DEFAULTS } from './defaults.ts';
import type { ApiEnv, ApiHandlerMap } from './domains/define.ts';
import type { World } from './domains/world.ts';
import type { BodyLimits } from './http/body.ts';
import type { Decision, Plane, ResponseViolation } from './http/plane.ts';
import type { Operation } from './spec/operations.ts';
import type { SpecValidators } from './spec/validators.ts';

export interface ApiPlaneOptions {
  validators: SpecValidators;
  handlers: ApiHandlerMap;
  /** Request-body limits (size: 413, nesting: 400); default src/defaults.ts. */
  body?: BodyLimits;
  /** Consulted before every operation (the control plane's faults and rate limits, a user's hook). */
  before?: (op: Operation, tenant: World) => Decision | undefined | Promise<Decision | undefined>;
  onResponseViolation: (violation: ResponseViolation) => void;
}

export function apiPlane(options: ApiPlaneOptions): Plane<ApiEnv> {
  const { before } = options;
  return {
    name: 'api',
    document: 'openapi.yaml',
    validators: options.validators,
    handlers: options.handlers,
    prefix: '',
    body: options.body ?? { limitBytes: DEFAULTS.bodyLimitBytes, maxDepth: DEFAULTS.maxJsonDepth },
    schemes: KNOWN_SCHEMES,
    // The tenant stage (src/http/stages/tenant.ts) has run for every API request.
    env: (_req, res) => ({ state: res.locals.tenant! }),
    authenticate: (op, env, authorization) => authenticate(op.security, env.state.auth, authorization),
    before: before && ((op, env) => before(op, env.state)),
    onResponseViolation: options.onResponseViolation,
  };
}
