// Route-specific rate limits, off by default so test suites never trip over them. A fixed window per
// operation and tenant, on the tenant's clock: a test moves past a window by advancing the clock. Only
// operations that document 429 (openapi.yaml: #/components/responses/RateLimited) are limited, so the
// fake never sends a status its spec does not list.
import { invalidRequest, rateLimited, type ApiError } from '../errors.ts';
import type { Decision } from '../http/plane.ts';
import type { Tenant } from '../tenant/tenant.ts';
import type { ControlTenants } from './tenants.ts';

export interface Limit {
  limit: number;
  window_seconds: number;
}

export interface RateLimitSettings {
  enabled: boolean;
  /** applies to every operation that documents 429 and has no rule of its own; null: none */
  default: Limit | null;
  operations: Record<string, Limit>;
}

const defaultRateLimits = (): RateLimitSettings => ({ enabled: false, default: { limit: 60, window_seconds: 60 }, operations: {} });

export type Windows = Map<string, { start: number; count: number }>;

function checkRateLimitSettings(settings: RateLimitSettings, limitable: ReadonlySet<string>) {
  for (const id of Object.keys(settings.operations)) {
    if (!limitable.has(id)) throw invalidRequest(`operation "${id}" cannot be rate limited: it is unknown or does not document 429 in openapi.yaml`);
  }
}

function checkRateLimit(settings: RateLimitSettings, windows: Windows, operationId: string, limitable: ReadonlySet<string>, tenant: Pick<Tenant, 'clock'>): ApiError | null {
  if (!settings.enabled || !limitable.has(operationId)) return null;
  const rule = settings.operations[operationId] ?? settings.default;
  if (!rule) return null;
  const now = tenant.clock.now().getTime();
  const windowMs = rule.window_seconds * 1000;
  let window = windows.get(operationId);
  if (!window || now >= window.start + windowMs || now < window.start) {
    window = { start: now, count: 0 };
    windows.set(operationId, window);
  }
  window.count++;
  if (window.count <= rule.limit) return null;
  return rateLimited(Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)));
}

/** Per tenant: the settings (part of GET/PATCH /__fake/settings and of a snapshot) and the open windows. */
export function createRateLimitControl(tenants: ControlTenants, limitable: ReadonlySet<string>) {
  const byTenant = tenants.perTenant(() => ({ settings: defaultRateLimits(), windows: new Map() as Windows }));
  return {
    settingsOf: (id: string): RateLimitSettings => structuredClone(byTenant.of(id).settings),
    /** Merges a patch (operations merged by operationId); every window starts afresh. */
    update(id: string, patch: Partial<RateLimitSettings>) {
      const current = byTenant.of(id);
      const next = { ...current.settings, ...patch, operations: { ...current.settings.operations, ...(patch.operations ?? {}) } };
      checkRateLimitSettings(next, limitable);
      current.settings = next;
      current.windows.clear();
    },
    /** After a restore: the snapshot's settings, if it has them (checked when they were set); windows start afresh. */
    restored(id: string, settings: RateLimitSettings | undefined) {
      const current = byTenant.of(id);
      if (settings) current.settings = structuredClone(settings);
      current.windows.clear();
    },
    /** The hook: a 429 once the operation's window is full. */
    decide(operationId: string, tenant: Pick<Tenant, 'id' | 'clock'>): Decision | undefined {
      const current = byTenant.peek(tenant.id);
      const limited = current && checkRateLimit(current.settings, current.windows, operationId, limitable, tenant);
      return limited ? { error: limited } : undefined;
    },
  };
}
