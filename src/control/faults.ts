// Injected failures: the next N calls of an operation (or every call while a window on the tenant's
// clock is open) answer a status in the documented envelope, wait, or lose their connection. The
// window runs on the tenant's clock, not the wall clock, so a test closes it by advancing the clock.
// A fault only decides; the pipeline carries the decision out (src/http/operation.ts).
import { ApiError, challenge, codeForStatus, invalidRequest, isErrorCode, notFound } from '../errors.ts';
import type { Decision } from '../http/plane.ts';
import type { Tenant } from '../tenant/tenant.ts';
import type { ControlTenants, On } from './tenants.ts';

export interface FaultSpec {
  operation_id: string;
  times?: number;
  for_seconds?: number;
  status?: number;
  code?: string;
  message?: string;
  retry_after?: number;
  delay_ms?: number;
  drop?: boolean;
}

export interface Fault extends FaultSpec {
  fault_id: string;
  created_at: string;
  /** calls still to fail; null: until the window closes */
  remaining: number | null;
  until: string | null;
  hits: number;
}

export function createFaultControl(tenants: ControlTenants, knownOperations: ReadonlySet<string>) {
  let seq = 0;
  const byTenant = tenants.perTenant((): Fault[] => []);
  const faultsOf = (on: On) => byTenant.of(tenants.tenantOf(on).id);

  const make = (spec: FaultSpec, tenant: Tenant): Fault => {
    if (spec.operation_id !== '*' && !knownOperations.has(spec.operation_id)) {
      throw invalidRequest(`unknown operation_id "${spec.operation_id}"; use one of openapi.yaml's operationIds or "*"`);
    }
    if (spec.status === undefined && !spec.delay_ms && !spec.drop) throw invalidRequest('a fault needs a status, a delay_ms or drop: true');
    if (spec.status !== undefined && spec.drop) throw invalidRequest('a dropped connection has no status: give status or drop, not both');
    if (spec.times !== undefined && spec.for_seconds !== undefined) throw invalidRequest('give times or for_seconds, not both');
    if (spec.code !== undefined && !isErrorCode(spec.code)) throw invalidRequest(`unknown error code "${spec.code}"`);
    const now = tenant.clock.now();
    return {
      ...spec,
      fault_id: `flt_${++seq}`,
      created_at: tenant.clock.iso(now),
      remaining: spec.for_seconds !== undefined ? null : (spec.times ?? 1),
      until: spec.for_seconds !== undefined ? new Date(now.getTime() + spec.for_seconds * 1000).toISOString() : null,
      hits: 0,
    };
  };

  return {
    add(spec: FaultSpec, on: On = {}) {
      const tenant = tenants.tenantOf(on);
      const fault = make(spec, tenant);
      byTenant.of(tenant.id).push(fault);
      return { ...fault };
    },
    list(on: On = {}) {
      const tenant = tenants.tenantOf(on);
      return { tenant: tenant.id, faults: byTenant.of(tenant.id).map((f) => ({ ...f })) };
    },
    remove(faultId: string, on: On = {}) {
      const faults = faultsOf(on);
      const index = faults.findIndex((f) => f.fault_id === faultId);
      if (index < 0) throw notFound(`fault ${faultId} not found`);
      faults.splice(index, 1);
      return { removed: 1 };
    },
    clear(on: On = {}) {
      const faults = faultsOf(on);
      const removed = faults.length;
      faults.length = 0;
      return { removed };
    },
    /** The hook: what the tenant's faults decide for this call, if anything. */
    decide(operationId: string, tenant: Pick<Tenant, 'id' | 'clock'>): Decision | undefined {
      const faults = byTenant.peek(tenant.id);
      return faults?.length ? takeFault(faults, operationId, tenant) : undefined;
    },
  };
}

/** Drops spent or expired faults; returns what the first matching one decides, if any. */
function takeFault(faults: Fault[], operationId: string, tenant: Pick<Tenant, 'clock'>): Decision | undefined {
  const now = tenant.clock.now().getTime();
  for (let i = faults.length - 1; i >= 0; i--) if (faults[i].until && Date.parse(faults[i].until!) <= now) faults.splice(i, 1);
  const index = faults.findIndex((f) => f.operation_id === operationId || f.operation_id === '*');
  if (index < 0) return undefined;
  const fault = faults[index];
  fault.hits++;
  if (fault.remaining !== null && --fault.remaining <= 0) faults.splice(index, 1);
  return { delayMs: fault.delay_ms ?? 0, drop: Boolean(fault.drop), error: fault.status === undefined ? undefined : faultError(fault) };
}

function faultError(fault: Fault): ApiError {
  const status = fault.status!;
  const code = fault.code && isErrorCode(fault.code) ? fault.code : codeForStatus(status);
  const headers: Record<string, string> = {};
  if (status === 429 || status === 503) headers['Retry-After'] = String(fault.retry_after ?? 1);
  if (status === 401) headers['WWW-Authenticate'] = challenge('Bearer');
  const message = fault.message ?? `injected fault (${fault.fault_id}): ${status === 429 ? 'rate limit exceeded' : status >= 500 ? 'the service failed' : 'request refused'}`;
  return new ApiError(code, message, headers, status);
}
