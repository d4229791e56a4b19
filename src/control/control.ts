// The control plane's operations as plain functions, composed from one file per concern: state (reset,
// snapshot, restore, seed, inspect, outbox, the state file), clock, faults, journal, settings, tenants. `createFake().control`
// is this object; the /__fake/ routes (plane.ts) call the same functions. Every operation acts on one
// tenant (default "default"; over HTTP X-Fluxra-Tenant). The hooks are how the API plane consults it.
import { ApiError, conflict } from '../errors.ts';
import type { Decision } from '../http/plane.ts';
import type { Exchange } from '../http/stages/capture.ts';
import type { Operation } from '../spec/operations.ts';
import type { Tenancy } from '../tenant/tenancy.ts';
import type { Tenant } from '../tenant/tenant.ts';
import { createClockControl } from './clock.ts';
import { createFaultControl } from './faults.ts';
import { createJournalControl, type JournalLimits } from './journal.ts';
import { createRateLimitControl } from './rate-limit.ts';
import { createSettingsControl } from './settings.ts';
import { createStateFileWriter, readStateFile, type SaveResult } from './state-file.ts';
import { createStateControl } from './state.ts';
import { createControlTenants } from './tenants.ts';
import { createInputCheck } from './validate.ts';

export interface ControlOptions {
  tenancy: Tenancy;
  /** The API's operations: faults name them, rate limits apply to those that document 429. */
  operations: Operation[];
  journal: JournalLimits;
  /** `--state-file`: where saveState writes every tenant (and where the state was loaded from). */
  stateFile?: string;
  /** How deep in-process input (seeds, snapshots) may nest: the control plane's body limit. */
  maxDepth: number;
  version: string;
}

export function createControl(options: ControlOptions) {
  const tenants = createControlTenants(options.tenancy);
  const known = new Set(options.operations.map((op) => op.operationId));
  const limitable = new Set(options.operations.filter((op) => op.responses['429']).map((op) => op.operationId));
  const faults = createFaultControl(tenants, known);
  const rateLimits = createRateLimitControl(tenants, limitable);
  const journal = createJournalControl(tenants, options.journal, options.version);
  const state = createStateControl(tenants, {
    check: createInputCheck(options.maxDepth),
    maxDepth: options.maxDepth,
    rateLimitsOf: (id) => rateLimits.settingsOf(id),
    restored(id, settings) {
      faults.clear({ tenant: id });
      rateLimits.restored(id, settings);
    },
  });
  const { decide: decideFault, ...faultOps } = faults;
  const stateFile = options.stateFile === undefined ? undefined : createStateFileWriter(options.stateFile);

  return {
    ...state,
    /** Writes every tenant to the state file (atomically); 409 when the fake has none. */
    saveState(): Promise<SaveResult> {
      if (!stateFile) return Promise.reject(conflict('this fake was started without a state file (--state-file)'));
      return stateFile.save({ saved_at: new Date().toISOString(), tenants: state.snapshotAll() }).catch((err: Error) => {
        throw new ApiError('INTERNAL_ERROR', `could not save the state file ${stateFile.path}: ${err.message}`);
      });
    },
    /** Restores every tenant the state file holds (at start); undefined when there is no file yet. */
    loadState(): { path: string; saved_at: string; tenants: string[] } | undefined {
      if (!stateFile) return undefined;
      const content = readStateFile(stateFile.path);
      if (!content) return undefined;
      for (const [i, snapshot] of content.tenants.entries()) {
        const id = typeof snapshot?.tenant === 'string' ? snapshot.tenant : undefined;
        try {
          if (id === undefined) throw new Error('it names no tenant');
          state.restore(snapshot, { tenant: id });
        } catch (err) {
          throw new Error(`--state-file ${stateFile.path}: tenant ${id ?? `#${i}`} cannot be restored: ${(err as Error).message}; refusing to start (the file is left as it is)`);
        }
      }
      return { path: stateFile.path, saved_at: content.saved_at, tenants: content.tenants.map((s) => s.tenant) };
    },
    clock: createClockControl(tenants),
    faults: faultOps,
    journal: { list: journal.list, har: journal.har, clear: journal.clear },
    settings: createSettingsControl(tenants, rateLimits),
    tenants: {
      list: () => ({
        max_tenants: options.tenancy.maxTenants,
        tenants: options.tenancy.ids().map((id) => {
          // peek: listing is not a use (it must not keep idle tenants alive).
          const { stores } = options.tenancy.peek(id)!;
          return { tenant: id, agents: stores.agents.count(), conversations: stores.conversations.count(), journal: journal.size(id) };
        }),
      }),
      delete: (id: string) => tenants.delete(id),
    },
    /** How the API plane consults the control plane: faults and rate limits first, the journal after. */
    hooks: {
      before(op: Operation, tenant: Pick<Tenant, 'id' | 'clock'>): Decision | undefined {
        const fault = decideFault(op.operationId, tenant);
        if (fault?.drop || fault?.error) return fault;
        // A delay-only fault still lets the call meet its rate limit.
        const limited = rateLimits.decide(op.operationId, tenant);
        return fault || limited ? { ...fault, ...limited } : undefined;
      },
      onExchange: (exchange: Exchange) => journal.record(exchange),
    },
  };
}

export type Control = ReturnType<typeof createControl>;
