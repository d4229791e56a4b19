// A tenant's settings: the token lifetime, the plain-text 401 quirk (docs, conventions: "some
// auth-middleware failures answer with plain text") and the rate limits (rate-limit.ts).
import type { Tenant } from '../tenant/tenant.ts';
import type { RateLimitSettings } from './rate-limit.ts';
import type { ControlTenants, On } from './tenants.ts';

export interface Settings {
  token_ttl_seconds: number;
  plain_text_401: boolean;
  rate_limits: RateLimitSettings;
}

export type SettingsPatch = Partial<Omit<Settings, 'rate_limits'>> & { rate_limits?: Partial<RateLimitSettings> };

interface RateLimits {
  settingsOf(id: string): RateLimitSettings;
  update(id: string, patch: Partial<RateLimitSettings>): void;
}

export function createSettingsControl(tenants: ControlTenants, rateLimits: RateLimits) {
  const settingsOf = (tenant: Tenant): Settings => ({
    token_ttl_seconds: tenant.settings.tokenTtlSeconds,
    plain_text_401: tenant.settings.plainText401,
    rate_limits: rateLimits.settingsOf(tenant.id),
  });
  return {
    get: (on: On = {}) => settingsOf(tenants.tenantOf(on)),
    update(patch: SettingsPatch, on: On = {}) {
      const tenant = tenants.tenantOf(on);
      if (patch.rate_limits) rateLimits.update(tenant.id, patch.rate_limits);
      if (patch.token_ttl_seconds !== undefined) tenant.settings.tokenTtlSeconds = patch.token_ttl_seconds;
      if (patch.plain_text_401 !== undefined) tenant.settings.plainText401 = patch.plain_text_401;
      return settingsOf(tenant);
    },
  };
}
