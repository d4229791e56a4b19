// All tenants of one app (X-Fluxra-Tenant selects one), created on first use up to a cap.
import { DEFAULTS } from '../defaults.ts';
import { serviceUnavailable } from '../errors.ts';
import { createTenant, type Tenant, type TenantOptions } from './tenant.ts';

export const DEFAULT_TENANT = 'default';
export const TENANT_HEADER = 'x-fluxra-tenant';
export const TENANT_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export function createTenancy(options: TenantOptions & { maxTenants?: number } = {}) {
  const tenants = new Map<string, Tenant>();
  const maxTenants = options.maxTenants ?? DEFAULTS.maxTenants;
  return {
    maxTenants,
    /** The tenant, made on first use; undefined when the table is full. */
    get(id: string = DEFAULT_TENANT): Tenant | undefined {
      let tenant = tenants.get(id);
      if (!tenant) {
        if (tenants.size >= maxTenants) return undefined;
        tenant = createTenant(id, options);
        tenants.set(id, tenant);
      }
      return tenant;
    },
    has: (id: string) => tenants.has(id),
    ids: () => [...tenants.keys()],
    /** Replaces a tenant's state with a fresh one (control plane reset). */
    reset(id: string = DEFAULT_TENANT): Tenant {
      const tenant = createTenant(id, options);
      tenants.set(id, tenant);
      return tenant;
    },
    delete: (id: string) => tenants.delete(id),
  };
}

export type Tenancy = ReturnType<typeof createTenancy>;

/** The answer when the tenant table is full (503, with what to do about it). */
export const tenantFull = (tenancy: Tenancy) => serviceUnavailable(`tenant limit reached (${tenancy.maxTenants}); reset the fake or delete tenants`);
