// The tenant's clock, from the control plane: tokens, keys and codes expire against it and timestamps
// follow it (src/basics/clock.ts). The clock only moves forward with `advance`; `set` goes anywhere.
import { invalidRequest } from '../errors.ts';
import type { Tenant } from '../tenant/tenant.ts';
import type { ControlTenants, On } from './tenants.ts';

export const clockView = (tenant: Tenant) => ({ tenant: tenant.id, ...tenant.clock.state() });

const parseDate = (at: string | undefined) => {
  const ms = at === undefined ? NaN : Date.parse(at);
  if (Number.isNaN(ms)) throw invalidRequest('at must be an RFC 3339 date-time');
  return new Date(ms);
};

export function createClockControl(tenants: ControlTenants) {
  return {
    get: (on: On = {}) => clockView(tenants.tenantOf(on)),
    freeze(at?: string, on: On = {}) {
      const tenant = tenants.tenantOf(on);
      tenant.clock.freeze(at === undefined ? undefined : parseDate(at));
      return clockView(tenant);
    },
    unfreeze(on: On = {}) {
      const tenant = tenants.tenantOf(on);
      tenant.clock.unfreeze();
      return clockView(tenant);
    },
    set(at: string, on: On = {}) {
      const tenant = tenants.tenantOf(on);
      tenant.clock.set(parseDate(at));
      return clockView(tenant);
    },
    advance(by: { seconds?: number; ms?: number }, on: On = {}) {
      if ((by.seconds === undefined) === (by.ms === undefined)) throw invalidRequest('give seconds or ms (one of them)');
      const ms = by.ms ?? by.seconds! * 1000;
      if (!Number.isFinite(ms) || ms < 0) throw invalidRequest('the clock only moves forward: seconds/ms must be >= 0 (use set to go back)');
      const tenant = tenants.tenantOf(on);
      tenant.clock.advance(ms);
      return clockView(tenant);
    },
  };
}
