// A tenant's state from the control plane: reset, snapshot and restore, declarative seed, inspect, and
// the outbox of verification emails.
import type { Tenant } from '../tenant/tenant.ts';
import type { ControlTenants, On } from './tenants.ts';
import { clockView } from './clock.ts';
import { inspectTenant } from './inspect.ts';
import type { RateLimitSettings } from './rate-limit.ts';
import { applySeed, type Seed } from './seed.ts';
import { checkSnapshot, restoreSnapshot, rollbackPoint, takeSnapshot, type Snapshot } from './snapshot.ts';
import type { ControlInputCheck } from './validate.ts';

/** The control plane's own per-tenant part of a snapshot. */
export interface SnapshotControl {
  rateLimitsOf(id: string): RateLimitSettings;
  /** After a restore: faults and open rate-limit windows belong to the moment, not to the state. */
  restored(id: string, rateLimits: RateLimitSettings | undefined): void;
  /** In-process input checked as the HTTP routes check theirs (validate.ts). */
  check: ControlInputCheck;
  /** How deep a snapshot may nest. */
  maxDepth: number;
}

export function createStateControl(tenants: ControlTenants, control: SnapshotControl) {
  const snapshotOf = (tenant: Tenant) => takeSnapshot(tenant, { rate_limits: control.rateLimitsOf(tenant.id) });
  return {
    /** Back to a fresh state: one tenant, or every tenant (dropped; recreated fresh on first use). */
    reset(opts: On & { all?: boolean } = {}) {
      const { tenancy } = tenants;
      if (opts.all) {
        const ids = tenancy.ids();
        for (const id of ids) tenancy.delete(id);
        tenants.forget();
        return { reset: ids };
      }
      const id = tenants.idOf(opts);
      if (!tenancy.has(id)) tenants.tenantOf(opts);
      tenancy.reset(id);
      tenants.forget(id);
      return { reset: [id] };
    },

    snapshot(on: On = {}): Snapshot {
      return snapshotOf(tenants.tenantOf(on));
    },

    /** Every tenant's snapshot, without touching them (for the state file). */
    snapshotAll: (): Snapshot[] => tenants.tenancy.ids().flatMap((id) => {
      const tenant = tenants.tenancy.peek(id);
      return tenant ? [snapshotOf(tenant)] : [];
    }),

    /** Restores a snapshot into a tenant (the caller's, not necessarily the one it was taken from). */
    restore(snapshot: unknown, on: On = {}) {
      const checked = checkSnapshot(control.check('restoreSnapshot', snapshot, { clone: false }), control.maxDepth);
      const tenant = tenants.tenantOf(on);
      const restored = restoreSnapshot(tenant, checked);
      control.restored(tenant.id, restored.rate_limits as RateLimitSettings | undefined);
      return { tenant: tenant.id, restored_from: checked.tenant, clock: clockView(tenant) };
    },

    /**
     * Checked as POST /__fake/seed checks it; then written through the domain services. Should one of
     * their rules refuse a step the check could not foresee (a block or a cap met half way), the tenant
     * is put back as it was: a refused seed writes nothing.
     */
    async seed(seed: Seed, on: On = {}) {
      const checked = control.check('seedFake', seed);
      const tenant = tenants.tenantOf(on);
      const point = rollbackPoint(tenant);
      try {
        return await applySeed(tenant, checked);
      } catch (err) {
        point.undo();
        throw err;
      }
    },

    /** A readable view of a tenant's agents, conversations, messages and blocks (the dashboard's). */
    inspect: (on: On = {}) => inspectTenant(tenants.tenantOf(on)),

    outbox: {
      list(filter: { agent_id?: string } = {}, on: On = {}) {
        const tenant = tenants.tenantOf(on);
        return { tenant: tenant.id, emails: tenant.stores.outbox.list(filter) };
      },
      clear: (filter: { agent_id?: string } = {}, on: On = {}) => ({ removed: tenants.tenantOf(on).stores.outbox.clear(filter) }),
    },
  };
}
