// Snapshot and restore of one tenant: the tenant's plain data (src/tenant/tenant.ts: every store's
// state, the global sequence, the settings, and the two keys drawn at creation, JWT signing and cursor
// HMAC, so a restored fake accepts the tokens and cursors it handed out before), encoded generically
// (serialize.ts), plus the clock and the control plane's own per-tenant settings (rate limits).
import { invalidRequest } from '../errors.ts';
import { emptyTenantData, type Tenant } from '../tenant/tenant.ts';
import { decode, encode, refill } from './serialize.ts';

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

export function checkSnapshot(value: unknown): Snapshot {
  const s = value as Partial<Snapshot> | null;
  if (!s || typeof s !== 'object' || s.format !== SNAPSHOT_FORMAT) throw invalidRequest(`not a snapshot: expected format "${SNAPSHOT_FORMAT}"`);
  if (s.version !== SNAPSHOT_VERSION) throw invalidRequest(`unsupported snapshot version ${String(s.version)} (this fake reads ${SNAPSHOT_VERSION})`);
  if (!s.clock || s.data === undefined) throw invalidRequest('snapshot lacks clock or data');
  if (Number.isNaN(Date.parse(s.clock.now))) throw invalidRequest('snapshot clock.now is not a date');
  return s as Snapshot;
}

/** Restores into an existing tenant in place; returns the control plane's part of the snapshot. */
export function restoreSnapshot(tenant: Tenant, snapshot: Snapshot): Record<string, unknown> {
  // Parts missing from an older snapshot fall back to a fresh tenant's (with this tenant's keys and settings).
  refill(tenant.data, decode(snapshot.data), emptyTenantData({ ...tenant.data.keys }, { ...tenant.data.settings }));
  const at = new Date(snapshot.clock.now);
  if (snapshot.clock.frozen) tenant.clock.freeze(at);
  else {
    // A running clock resumes from the snapshot's instant.
    tenant.clock.unfreeze();
    tenant.clock.set(at);
  }
  return (decode(snapshot.control) as Record<string, unknown> | undefined) ?? {};
}
