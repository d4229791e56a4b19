// All tenants of one app (X-Fluxra-Tenant selects one), created on first use up to a cap. The default
// tenant always has a place of its own: it never counts against the cap and is never dropped, so a
// flood of other tenant names cannot lock it out. Any other tenant unused for `idleSeconds` (wall-clock
// time: a tenant's own clock may be frozen) is dropped, freeing its place and its memory; the least
// recently used come first, so finding them costs nothing per request.
import { DEFAULTS } from '../defaults.ts';
import { serviceUnavailable } from '../errors.ts';
import { createTenant, type Tenant, type TenantOptions } from './tenant.ts';

export const DEFAULT_TENANT = 'default';
export const TENANT_HEADER = 'x-fluxra-tenant';
export const TENANT_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export interface TenancyOptions extends TenantOptions {
  /** most tenants held at once besides the default one */
  maxTenants?: number;
  /** drop a tenant (not the default one) unused for this many seconds; 0: never */
  tenantIdleSeconds?: number;
  /** wall-clock milliseconds (tests move it) */
  now?: () => number;
}

export function createTenancy(options: TenancyOptions = {}) {
  const tenants = new Map<string, Tenant>();
  /** Other tenants by last use, least recent first (re-inserted on every use). */
  const lastUsed = new Map<string, number>();
  const maxTenants = options.maxTenants ?? DEFAULTS.maxTenants;
  const idleMs = (options.tenantIdleSeconds ?? DEFAULTS.tenantIdleSeconds) * 1000;
  const now = options.now ?? Date.now;
  const dropListeners: ((id: string) => void)[] = [];

  const remove = (id: string) => {
    lastUsed.delete(id);
    const had = tenants.delete(id);
    if (had) for (const listener of dropListeners) listener(id);
    return had;
  };
  const touch = (id: string, at: number) => {
    if (id === DEFAULT_TENANT) return;
    lastUsed.delete(id);
    lastUsed.set(id, at);
  };
  /** Drops the tenants idle for too long: they are at the front of `lastUsed`. */
  const evictIdle = (at: number) => {
    if (idleMs <= 0) return;
    for (const [id, used] of lastUsed) {
      if (at - used < idleMs) break;
      remove(id);
    }
  };

  return {
    maxTenants,
    /** The tenant, made on first use; undefined when the table is full. */
    get(id: string = DEFAULT_TENANT): Tenant | undefined {
      const at = now();
      evictIdle(at);
      let tenant = tenants.get(id);
      if (!tenant) {
        if (id !== DEFAULT_TENANT && lastUsed.size >= maxTenants) return undefined;
        tenant = createTenant(id, options);
        tenants.set(id, tenant);
      }
      touch(id, at);
      return tenant;
    },
    has: (id: string) => tenants.has(id),
    /** The tenant if it exists, without counting as a use (saving state must not keep idle tenants alive). */
    peek: (id: string): Tenant | undefined => tenants.get(id),
    ids: () => [...tenants.keys()],
    /** Replaces a tenant's state with a fresh one (control plane reset). */
    reset(id: string = DEFAULT_TENANT): Tenant {
      const tenant = createTenant(id, options);
      tenants.set(id, tenant);
      touch(id, now());
      return tenant;
    },
    delete: (id: string) => remove(id),
    /** Called with the id of every tenant deleted or dropped for idleness (the control plane forgets its part). */
    onDrop(listener: (id: string) => void) {
      dropListeners.push(listener);
    },
  };
}

export type Tenancy = ReturnType<typeof createTenancy>;

/** The answer when the tenant table is full (503, with what to do about it). */
export const tenantFull = (tenancy: Tenancy) => serviceUnavailable(`tenant limit reached (${tenancy.maxTenants}); reset the fake or delete tenants`);
