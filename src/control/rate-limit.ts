// Route-specific rate limits (DESIGN 2: off by default so test suites never trip over them). A fixed
// window per operation and tenant, on the tenant's clock: a test moves past a window by advancing the
// clock. Only operations that document 429 (#/components/responses/RateLimited) are limited, so the
// fake never sends a status its spec does not list.
import { invalidRequest, rateLimited, type ApiError } from '../http/errors.ts';
import type { TenantState } from '../state/tenant.ts';

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

export const defaultRateLimits = (): RateLimitSettings => ({ enabled: false, default: { limit: 60, window_seconds: 60 }, operations: {} });

export type Windows = Map<string, { start: number; count: number }>;

export function checkRateLimitSettings(settings: RateLimitSettings, limitable: Set<string>) {
  for (const id of Object.keys(settings.operations)) {
    if (!limitable.has(id)) throw invalidRequest(`operation "${id}" cannot be rate limited: it is unknown or does not document 429 in openapi.yaml`);
  }
}

export function checkRateLimit(settings: RateLimitSettings, windows: Windows, operationId: string, limitable: Set<string>, state: TenantState): ApiError | null {
  if (!settings.enabled || !limitable.has(operationId)) return null;
  const rule = settings.operations[operationId] ?? settings.default;
  if (!rule) return null;
  const now = state.clock.now().getTime();
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
