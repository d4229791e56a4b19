// Snapshot and restore of one tenant: the tenant's plain data (src/tenant/tenant.ts: every store's
// state, the global sequence, the settings, the random stream's position, and the two keys drawn at
// creation, JWT signing and cursor HMAC, so a restored fake accepts the tokens and cursors it handed out
// before), encoded generically (serialize.ts), plus the clock and the control plane's own per-tenant
// settings (rate limits).
// A restore is checked whole before anything is written (a refused snapshot leaves the tenant as it was),
// and it never rewinds the tenant's random stream: ids, secrets and codes drawn after it continue past
// every id the snapshot holds, so a restored fake cannot hand a new agent an existing agent's id or key.
import { valueTooDeep } from '../basics/json-depth.ts';
import { invalidRequest } from '../errors.ts';
import { emptyTenantData, type Tenant } from '../tenant/tenant.ts';
import { decode, encode, refill, refillProblems } from './serialize.ts';

export const SNAPSHOT_FORMAT = 'fluxra-fake-snapshot';
export const SNAPSHOT_VERSION = 2;

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  tenant: string;
  clock: { now: string; frozen: boolean };
  control: Record<string, unknown>;
  data: unknown;
}

export function takeSnapshot(tenant: Tenant, control: Record<string, unknown>): Snapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    tenant: tenant.id,
    // Millisecond precision: clock.iso() rounds to seconds, which would move a frozen clock.
    clock: { now: tenant.clock.now().toISOString(), frozen: tenant.clock.state().frozen },
    control: encode(control) as Record<string, unknown>,
    data: encode(tenant.data),
  };
}

/** The snapshot's outer shape; `maxDepth` bounds how deep it may nest (src/basics/json-depth.ts). */
export function checkSnapshot(value: unknown, maxDepth: number): Snapshot {
  const s = value as Partial<Snapshot> | null;
  if (!s || typeof s !== 'object' || s.format !== SNAPSHOT_FORMAT) throw invalidRequest(`not a snapshot: expected format "${SNAPSHOT_FORMAT}"`);
  if (s.version !== SNAPSHOT_VERSION) throw invalidRequest(`unsupported snapshot version ${String(s.version)} (this fake reads ${SNAPSHOT_VERSION})`);
  if (!s.clock || typeof s.clock !== 'object' || s.data === undefined) throw invalidRequest('snapshot lacks clock or data');
  if (typeof s.clock.now !== 'string' || Number.isNaN(Date.parse(s.clock.now))) throw invalidRequest('snapshot clock.now is not a date');
  if (typeof s.clock.frozen !== 'boolean') throw invalidRequest('snapshot clock.frozen is not a boolean');
  if (valueTooDeep(s, maxDepth)) throw invalidRequest(`snapshot nests deeper than ${maxDepth} levels`);
  return s as Snapshot;
}

const decoded = (value: unknown, what: string) => {
  try {
    return decode(value);
  } catch (err) {
    throw invalidRequest(`snapshot ${what}: ${(err as Error).message}`);
  }
};

/** Restores into an existing tenant in place; returns the control plane's part of the snapshot. */
export function restoreSnapshot(tenant: Tenant, snapshot: Snapshot): Record<string, unknown> {
  const data = decoded(snapshot.data, 'data');
  const control = decoded(snapshot.control ?? {}, 'control');
  if (!control || typeof control !== 'object' || Array.isArray(control)) throw invalidRequest('snapshot control is not an object');
  // Parts missing from an older snapshot fall back to a fresh tenant's (with this tenant's keys and settings).
  const fresh = emptyTenantData({ ...tenant.data.keys }, { ...tenant.data.settings });
  const problems = refillProblems(tenant.data, data, fresh);
  if (problems.length) throw invalidRequest(`snapshot does not fit a tenant's state: ${problems.slice(0, 5).join('; ')}`);
  const position = tenant.data.random.position;
  refill(tenant.data, data, fresh);
  tenant.data.random.position = Math.max(position, tenant.data.random.position);
  const at = new Date(snapshot.clock.now);
  if (snapshot.clock.frozen) tenant.clock.freeze(at);
  else {
    // A running clock resumes from the snapshot's instant.
    tenant.clock.unfreeze();
    tenant.clock.set(at);
  }
  return control as Record<string, unknown>;
}

/**
 * A point to go back to if a change made of several steps fails half way (a seed whose write meets a
 * rule the check could not see): the tenant's data as it is now, refilled on `undo()`. The random stream
 * is not rewound, and the clock is not touched.
 */
export function rollbackPoint(tenant: Tenant): { undo(): void } {
  const saved = encode(tenant.data);
  return {
    undo() {
      const position = tenant.data.random.position;
      refill(tenant.data, decode(saved), emptyTenantData({ ...tenant.data.keys }, { ...tenant.data.settings }));
      tenant.data.random.position = Math.max(position, tenant.data.random.position);
    },
  };
}
