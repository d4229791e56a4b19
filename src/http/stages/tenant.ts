// Stage 3, tenant: X-Fluxra-Tenant selects an isolated state (fake only; production ignores the header).
// It runs after the control plane is mounted: the control plane picks its tenant itself, so a full
// tenant table cannot lock it out.
import { invalidRequest } from '../../errors.ts';
import type { Stage } from '../locals.ts';
import { DEFAULT_TENANT, TENANT_HEADER, TENANT_PATTERN, tenantFull, type Tenancy } from '../../tenant/tenancy.ts';

export function tenantStage(tenancy: Tenancy): Stage {
  return (req, res, next) => {
    const raw = req.headers[TENANT_HEADER];
    const id = typeof raw === 'string' && raw !== '' ? raw : DEFAULT_TENANT;
    if (!TENANT_PATTERN.test(id)) return next(invalidRequest(`${TENANT_HEADER} must match ${TENANT_PATTERN.source}`));
    const tenant = tenancy.get(id);
    if (!tenant) return next(tenantFull(tenancy));
    res.locals.tenant = tenant;
    res.locals.startedAtMs = tenant.clock.nowMs();
    next();
  };
}
