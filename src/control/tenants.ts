// The control plane's side of tenants: which tenant a control call acts on (X-Fluxra-Tenant over HTTP,
// the `tenant` option in process), and the state each control concern keeps per tenant beside the
// tenant's own (faults, journal, rate limits), which is forgotten when the tenant is reset or deleted.
import { invalidRequest, notFound } from '../errors.ts';
import { DEFAULT_TENANT, TENANT_PATTERN, tenantFull, type Tenancy } from '../tenant/tenancy.ts';
import type { Tenant } from '../tenant/tenant.ts';

/** The tenant a control call names: `tenant` in process, X-Fluxra-Tenant over HTTP. */
export type On = { tenant?: string };

/** One concern's state per tenant, made on first use. */
export interface PerTenant<T> {
  of(id: string): T;
  peek(id: string): T | undefined;
  ids(): string[];
}

export function createControlTenants(tenancy: Tenancy) {
  const forgetters: ((id?: string) => void)[] = [];
  // A tenant dropped for idleness takes the control plane's part (its journal, faults...) with it.
  tenancy.onDrop((id) => {
    for (const forget of forgetters) forget(id);
  });

  const checkId = (id: string) => {
    if (!TENANT_PATTERN.test(id)) throw invalidRequest(`tenant must match ${TENANT_PATTERN.source}`);
    return id;
  };
  const idOf = (on: On = {}) => checkId(on.tenant ?? DEFAULT_TENANT);

  return {
    tenancy,
    checkId,
    idOf,
    /** The tenant (made on first use); 503 when the table is full. */
    tenantOf(on: On = {}): Tenant {
      const tenant = tenancy.get(idOf(on));
      if (!tenant) throw tenantFull(tenancy);
      return tenant;
    },
    /** `onForget` sees each value as its tenant is reset or deleted (to release what it holds). */
    perTenant<T>(make: () => T, onForget?: (value: T) => void): PerTenant<T> {
      const byTenant = new Map<string, T>();
      forgetters.push((id) => {
        const ids = id === undefined ? [...byTenant.keys()] : [id];
        for (const one of ids) {
          const value = byTenant.get(one);
          if (value !== undefined) onForget?.(value);
          byTenant.delete(one);
        }
      });
      return {
        of(id) {
          let value = byTenant.get(id);
          if (value === undefined) byTenant.set(id, (value = make()));
          return value;
        },
        peek: (id) => byTenant.get(id),
        ids: () => [...byTenant.keys()],
      };
    },
    /** Forgets what the control plane keeps for one tenant, or for all. */
    forget(id?: string) {
      for (const forget of forgetters) forget(id);
    },
    delete(id: string) {
      checkId(id);
      if (!tenancy.has(id)) throw notFound(`tenant ${id} not found`);
      tenancy.delete(id);
      return { deleted: id };
    },
  };
}

export type ControlTenants = ReturnType<typeof createControlTenants>;
