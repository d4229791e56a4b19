// Injected failures: the next N calls of an operation (or every call while a window on the tenant's
// clock is open) answer a status in the documented envelope, wait, or lose their connection. The
// window runs on the tenant's clock, not the wall clock, so a test closes it by advancing the clock.
import { ApiError, ERROR_STATUS, type ErrorCode, invalidRequest } from '../http/errors.ts';
import type { TenantState } from '../state/tenant.ts';

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

export type FaultAction = { delayMs: number; drop: boolean; error: ApiError | null };

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'INVALID_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT', 429: 'RATE_LIMIT_EXCEEDED', 500: 'INTERNAL_ERROR', 503: 'SERVICE_UNAVAILABLE',
};

export function createFaults(knownOperations: Set<string>) {
  let seq = 0;
  return {
    /** Validates and builds a fault; the caller stores it in the tenant's list. */
    make(spec: FaultSpec, state: TenantState): Fault {
      if (spec.operation_id !== '*' && !knownOperations.has(spec.operation_id)) {
        throw invalidRequest(`unknown operation_id "${spec.operation_id}"; use one of openapi.yaml's operationIds or "*"`);
      }
      if (spec.status === undefined && !spec.delay_ms && !spec.drop) throw invalidRequest('a fault needs a status, a delay_ms or drop: true');
      if (spec.status !== undefined && spec.drop) throw invalidRequest('a dropped connection has no status: give status or drop, not both');
      if (spec.times !== undefined && spec.for_seconds !== undefined) throw invalidRequest('give times or for_seconds, not both');
      if (spec.code !== undefined && !(spec.code in ERROR_STATUS)) throw invalidRequest(`unknown error code "${spec.code}"`);
      const now = state.clock.now();
      return {
        ...spec,
        fault_id: `flt_${++seq}`,
        created_at: state.clock.iso(now),
        remaining: spec.for_seconds !== undefined ? null : (spec.times ?? 1),
        until: spec.for_seconds !== undefined ? new Date(now.getTime() + spec.for_seconds * 1000).toISOString() : null,
        hits: 0,
      };
    },
  };
}

/** Drops spent or expired faults; returns what the first matching one says to do, if any. */
export function takeFault(faults: Fault[], operationId: string, state: TenantState): FaultAction | null {
  const now = state.clock.now().getTime();
  for (let i = faults.length - 1; i >= 0; i--) if (faults[i].until && Date.parse(faults[i].until!) <= now) faults.splice(i, 1);
  const index = faults.findIndex((f) => f.operation_id === operationId || f.operation_id === '*');
  if (index < 0) return null;
  const fault = faults[index];
  fault.hits++;
  if (fault.remaining !== null && --fault.remaining <= 0) faults.splice(index, 1);
  return { delayMs: fault.delay_ms ?? 0, drop: Boolean(fault.drop), error: fault.status === undefined ? null : faultError(fault) };
}

function faultError(fault: Fault): ApiError {
  const status = fault.status!;
  const code: ErrorCode = (fault.code as ErrorCode) ?? CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'INVALID_REQUEST');
  const headers: Record<string, string> = {};
  if (status === 429 || status === 503) headers['Retry-After'] = String(fault.retry_after ?? 1);
  if (status === 401) headers['WWW-Authenticate'] = 'Bearer realm="fluxra", error="invalid_token"';
  const message = fault.message ?? `injected fault (${fault.fault_id}): ${status === 429 ? 'rate limit exceeded' : status >= 500 ? 'the service failed' : 'request refused'}`;
  return new ApiError(code, message, headers, status);
}
