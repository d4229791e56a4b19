// The control plane's operations as plain functions: `createFake().control` in process, and the
// /__fake/ HTTP routes (http.ts) call the same functions. Every operation acts on one tenant (default:
// "default"; over HTTP: X-Fluxra-Tenant); clock, faults, journal and settings are all per tenant.
import type { Request, Response } from 'express';
import type { AppHooks, Exchange } from '../app.ts';
import { ApiError, invalidRequest, notFound } from '../http/errors.ts';
import { writeError } from '../http/write-error.ts';
import type { Operation } from '../spec/operations.ts';
import { DEFAULT_TENANT, TENANT_PATTERN, type Tenancy, type TenantState } from '../state/tenant.ts';
import { createFaults, takeFault, type Fault, type FaultSpec } from './faults.ts';
import { inspectTenant } from './inspect.ts';
import { createRing, parseCaptured, redactBody, redactHeaders, toHar, type JournalEntry, type Ring } from './journal.ts';
import { checkRateLimit, checkRateLimitSettings, defaultRateLimits, type RateLimitSettings, type Windows } from './rate-limit.ts';
import { applySeed, type Seed } from './seed.ts';
import { checkSnapshot, restoreSnapshot, takeSnapshot, type Snapshot } from './snapshot.ts';

export interface ControlOptions {
  tenancy: Tenancy;
  operations: Operation[];
  journalSize?: number;
  version: string;
}

/** What the control plane keeps per tenant beside the tenant's own state. */
interface TenantControl {
  faults: Fault[];
  journal: Ring<JournalEntry>;
  rateLimits: RateLimitSettings;
  windows: Windows;
}

export interface Settings {
  token_ttl_seconds: number;
  plain_text_401: boolean;
  rate_limits: RateLimitSettings;
}

export type SettingsPatch = Partial<Omit<Settings, 'rate_limits'>> & { rate_limits?: Partial<RateLimitSettings> };
type On = { tenant?: string };

const toIso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function createControl(options: ControlOptions) {
  const { tenancy } = options;
  const journalSize = options.journalSize ?? 500;
  const known = new Set(options.operations.map((op) => op.operationId));
  const limitable = new Set(options.operations.filter((op) => op.responses['429']).map((op) => op.operationId));
  const faultMaker = createFaults(known);
  const records = new Map<string, TenantControl>();
  let journalSeq = 0;

  const checkTenantId = (id: string) => {
    if (!TENANT_PATTERN.test(id)) throw invalidRequest(`tenant must match ${TENANT_PATTERN.source}`);
    return id;
  };
  const stateOf = (on: On = {}): TenantState => {
    const state = tenancy.get(checkTenantId(on.tenant ?? DEFAULT_TENANT));
    if (!state) throw new ApiError('SERVICE_UNAVAILABLE', `tenant limit reached (${tenancy.maxTenants}); reset the fake or delete tenants`, {}, 503);
    return state;
  };
  const recordOf = (tenant: string): TenantControl => {
    let record = records.get(tenant);
    if (!record) {
      record = { faults: [], journal: createRing(journalSize), rateLimits: defaultRateLimits(), windows: new Map() };
      records.set(tenant, record);
    }
    return record;
  };
  const settingsOf = (state: TenantState): Settings => ({
    token_ttl_seconds: state.settings.tokenTtlSeconds,
    plain_text_401: state.settings.plainText401,
    rate_limits: structuredClone(recordOf(state.id).rateLimits),
  });
  const parseDate = (at: string | undefined) => {
    const ms = at === undefined ? NaN : Date.parse(at);
    if (Number.isNaN(ms)) throw invalidRequest('at must be an RFC 3339 date-time');
    return new Date(ms);
  };
  const clockView = (state: TenantState) => ({ tenant: state.id, ...state.clock.state(), now: toIso(state.clock.now()) });

  const control = {
    /** Back to a fresh state: one tenant, or every tenant (dropped; recreated fresh on first use). */
    reset(opts: On & { all?: boolean } = {}) {
      if (opts.all) {
        const ids = tenancy.ids();
        for (const id of ids) tenancy.delete(id);
        records.clear();
        return { reset: ids };
      }
      const id = checkTenantId(opts.tenant ?? DEFAULT_TENANT);
      if (!tenancy.has(id)) stateOf({ tenant: id });
      tenancy.reset(id);
      records.delete(id);
      return { reset: [id] };
    },

    snapshot(on: On = {}): Snapshot {
      const state = stateOf(on);
      return takeSnapshot(state, { rate_limits: recordOf(state.id).rateLimits });
    },

    /** Restores a snapshot into a tenant (by default the one it was taken from... of the caller). */
    restore(snapshot: unknown, on: On = {}) {
      const checked = checkSnapshot(snapshot);
      const state = stateOf(on);
      const restored = restoreSnapshot(state, checked);
      const record = recordOf(state.id);
      record.faults.length = 0;
      record.windows.clear();
      if (restored.rate_limits) record.rateLimits = restored.rate_limits as RateLimitSettings;
      return { tenant: state.id, restored_from: checked.tenant, clock: clockView(state) };
    },

    seed: (seed: Seed, on: On = {}) => applySeed(stateOf(on), seed),

    clock: {
      get: (on: On = {}) => clockView(stateOf(on)),
      freeze(at?: string, on: On = {}) {
        const state = stateOf(on);
        state.clock.freeze(at === undefined ? undefined : parseDate(at));
        return clockView(state);
      },
      unfreeze(on: On = {}) {
        const state = stateOf(on);
        state.clock.unfreeze();
        return clockView(state);
      },
      set(at: string, on: On = {}) {
        const state = stateOf(on);
        state.clock.set(parseDate(at));
        return clockView(state);
      },
      advance(by: { seconds?: number; ms?: number }, on: On = {}) {
        if ((by.seconds === undefined) === (by.ms === undefined)) throw invalidRequest('give seconds or ms (one of them)');
        const ms = by.ms ?? by.seconds! * 1000;
        if (!Number.isFinite(ms) || ms < 0) throw invalidRequest('the clock only moves forward: seconds/ms must be >= 0 (use set to go back)');
        const state = stateOf(on);
        state.clock.advance(ms);
        return clockView(state);
      },
    },

    outbox: {
      list(filter: { agent_id?: string } = {}, on: On = {}) {
        const state = stateOf(on);
        const emails = state.outbox.filter((e) => !filter.agent_id || e.agent_id === filter.agent_id);
        return { tenant: state.id, emails: emails.map((e) => ({ ...e })) };
      },
      clear(filter: { agent_id?: string } = {}, on: On = {}) {
        const state = stateOf(on);
        const keep = state.outbox.filter((e) => filter.agent_id && e.agent_id !== filter.agent_id);
        const removed = state.outbox.length - keep.length;
        state.outbox.splice(0, state.outbox.length, ...keep);
        return { removed };
      },
    },

    faults: {
      add(spec: FaultSpec, on: On = {}) {
        const state = stateOf(on);
        const fault = faultMaker.make(spec, state);
        recordOf(state.id).faults.push(fault);
        return { ...fault };
      },
      list(on: On = {}) {
        const state = stateOf(on);
        return { tenant: state.id, faults: recordOf(state.id).faults.map((f) => ({ ...f })) };
      },
      remove(faultId: string, on: On = {}) {
        const faults = recordOf(stateOf(on).id).faults;
        const index = faults.findIndex((f) => f.fault_id === faultId);
        if (index < 0) throw notFound(`fault ${faultId} not found`);
        faults.splice(index, 1);
        return { removed: 1 };
      },
      clear(on: On = {}) {
        const faults = recordOf(stateOf(on).id).faults;
        const removed = faults.length;
        faults.length = 0;
        return { removed };
      },
    },

    journal: {
      /** Entries oldest first; `tenant: '*'` merges every tenant's journal. */
      list(filter: { operation_id?: string; tenant?: string; limit?: number } = {}, on: On = {}) {
        const tenants = filter.tenant === '*' ? [...records.keys()] : [checkTenantId(filter.tenant ?? on.tenant ?? DEFAULT_TENANT)];
        let entries = tenants.flatMap((t) => records.get(t)?.journal.list() ?? []).sort((a, b) => a.seq - b.seq);
        if (filter.operation_id) entries = entries.filter((e) => e.operation_id === filter.operation_id);
        if (filter.limit !== undefined) entries = entries.slice(-filter.limit);
        return { entries, capacity: journalSize };
      },
      har(filter: { operation_id?: string; tenant?: string } = {}, on: On & { baseUrl?: string } = {}) {
        return toHar(control.journal.list(filter, on).entries, on.baseUrl ?? 'http://127.0.0.1', options.version);
      },
      clear(on: On = {}) {
        const journal = records.get(checkTenantId(on.tenant ?? DEFAULT_TENANT))?.journal;
        const removed = journal?.size ?? 0;
        journal?.clear();
        return { removed };
      },
    },

    settings: {
      get: (on: On = {}) => settingsOf(stateOf(on)),
      update(patch: SettingsPatch, on: On = {}) {
        const state = stateOf(on);
        const record = recordOf(state.id);
        if (patch.rate_limits) {
          const next = { ...record.rateLimits, ...patch.rate_limits, operations: { ...record.rateLimits.operations, ...(patch.rate_limits.operations ?? {}) } };
          checkRateLimitSettings(next, limitable);
          record.rateLimits = next;
          record.windows.clear();
        }
        if (patch.token_ttl_seconds !== undefined) state.settings.tokenTtlSeconds = patch.token_ttl_seconds;
        if (patch.plain_text_401 !== undefined) state.settings.plainText401 = patch.plain_text_401;
        return settingsOf(state);
      },
    },

    tenants: {
      list: () => ({
        max_tenants: tenancy.maxTenants,
        tenants: tenancy.ids().map((id) => {
          const state = tenancy.get(id)!;
          return { tenant: id, agents: state.stores.agents.agents.size, conversations: state.stores.conversations.conversations.size, journal: records.get(id)?.journal.size ?? 0 };
        }),
      }),
      delete(id: string) {
        checkTenantId(id);
        if (!tenancy.has(id)) throw notFound(`tenant ${id} not found`);
        tenancy.delete(id);
        records.delete(id);
        return { deleted: id };
      },
    },

    /** A readable view of a tenant's agents, conversations, messages and blocks (the dashboard's). */
    inspect: (on: On = {}) => inspectTenant(stateOf(on)),

    /** Hooks for createApp: faults and rate limits before an operation, the journal after. */
    hooks: {
      async beforeOperation(op: Operation, req: Request, res: Response, state: TenantState) {
        const record = recordOf(state.id);
        const action = record.faults.length ? takeFault(record.faults, op.operationId, state) : null;
        if (action) {
          if (action.delayMs) await new Promise((resolve) => setTimeout(resolve, action.delayMs));
          if (action.drop) {
            req.socket.destroy();
            return true;
          }
          if (action.error) {
            writeError(res, action.error, { plainText401: state.settings.plainText401 });
            return true;
          }
        }
        const limited = checkRateLimit(record.rateLimits, record.windows, op.operationId, limitable, state);
        if (limited) {
          writeError(res, limited);
          return true;
        }
        return false;
      },
      afterExchange(exchange: Exchange) {
        if (exchange.res.locals.journal === false) return;
        const state = exchange.res.locals.state as TenantState | undefined;
        if (!state) return;
        const res = exchange.res;
        recordOf(exchange.tenant).journal.push({
          seq: ++journalSeq,
          tenant: exchange.tenant,
          operation_id: exchange.operationId,
          method: exchange.method,
          path: exchange.path,
          status: exchange.status,
          duration_ms: Math.round(exchange.durationMs * 10) / 10,
          started_at: ((res.locals.startedAt as Date | undefined) ?? state.clock.now()).toISOString(),
          request: { headers: redactHeaders(exchange.req.headers), body: redactBody(exchange.req.body ?? null) },
          response: {
            headers: redactHeaders(res.getHeaders() as Record<string, unknown>),
            body: redactBody(parseCaptured(exchange.responseBody, String(res.getHeader('content-type') ?? ''))),
          },
        });
      },
    } satisfies AppHooks,
  };
  return control;
}

export type Control = ReturnType<typeof createControl>;
