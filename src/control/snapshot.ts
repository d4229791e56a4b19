// Snapshot and restore of one tenant. The stores' state is `state.data` (plain data, encoded
// generically: see serialize.ts), plus what lives beside it: the clock, the settings, the tenant's
// control settings (rate limits) and the two keys drawn at creation (JWT signing, cursor HMAC), so a
// restored fake accepts the tokens and cursors it handed out before.
import { invalidRequest } from '../http/errors.ts';
import { emptyTenantData, type TenantState } from '../state/tenant.ts';
import { createCursors } from '../state/cursor.ts';
import { decode, encode, refill } from './serialize.ts';

export const SNAPSHOT_FORMAT = 'fluxra-fake-snapshot';
export const SNAPSHOT_VERSION = 1;

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  tenant: string;
  clock: { now: string; frozen: boolean };
  settings: Record<string, unknown>;
  control: Record<string, unknown>;
  keys: { jwt: string; cursor: string };
  data: unknown;
}

export function takeSnapshot(state: TenantState, control: Record<string, unknown>): Snapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    tenant: state.id,
    // Millisecond precision: state.clock.iso() rounds to seconds, which would move a frozen clock.
    clock: { now: state.clock.now().toISOString(), frozen: state.clock.state().frozen },
    settings: encode({ ...state.settings }) as Record<string, unknown>,
    control: encode(control) as Record<string, unknown>,
    keys: { jwt: Buffer.from(state.jwtKey).toString('base64'), cursor: Buffer.from(state.cursorKey).toString('base64') },
    data: encode(state.data),
  };
}

export function checkSnapshot(value: unknown): Snapshot {
  const s = value as Partial<Snapshot> | null;
  if (!s || typeof s !== 'object' || s.format !== SNAPSHOT_FORMAT) throw invalidRequest(`not a snapshot: expected format "${SNAPSHOT_FORMAT}"`);
  if (s.version !== SNAPSHOT_VERSION) throw invalidRequest(`unsupported snapshot version ${String(s.version)} (this fake reads ${SNAPSHOT_VERSION})`);
  if (!s.clock || !s.keys || s.data === undefined || !s.settings) throw invalidRequest('snapshot lacks clock, keys, settings or data');
  if (Number.isNaN(Date.parse(s.clock.now))) throw invalidRequest('snapshot clock.now is not a date');
  return s as Snapshot;
}

/** Restores into an existing tenant state in place; returns the tenant's control settings. */
export function restoreSnapshot(state: TenantState, snapshot: Snapshot): Record<string, unknown> {
  const data = decode(snapshot.data);
  refill(state.data, data, emptyTenantData());
  Object.assign(state.settings, decode(snapshot.settings));
  state.jwtKey = Buffer.from(snapshot.keys.jwt, 'base64');
  state.cursorKey = Buffer.from(snapshot.keys.cursor, 'base64');
  state.cursors = createCursors(state.cursorKey);
  const at = new Date(snapshot.clock.now);
  if (snapshot.clock.frozen) state.clock.freeze(at);
  else {
    // A running clock resumes from the snapshot's instant.
    state.clock.unfreeze();
    state.clock.set(at);
  }
  return decode(snapshot.control) as Record<string, unknown>;
}
