// The request journal: recent API exchanges per tenant, secrets redacted when read (journal-entry.ts), bounded two
// ways: at most `perTenant` entries per tenant, and at most `budgetBytes` across all tenants together,
// the oldest entries (of any tenant) dropped first. The budget is enforced in one place (`admit`), so a
// flood of large requests, spread over many tenants or not, cannot grow the process: large bodies are
// kept as truncation markers and the total is capped. The exchanges come from the capture stage
// (src/http/stages/capture.ts).
import type { Exchange } from '../http/stages/capture.ts';
import { toHar } from './har.ts';
import { buildEntry, holdExchange, type HeldExchange } from './journal-entry.ts';
import type { ControlTenants, On } from './tenants.ts';

export type { JournalEntry } from './journal-entry.ts';
export { REDACTED } from './redact.ts';

export interface JournalLimits {
  /** entries kept per tenant */
  perTenant: number;
  /** bytes kept across all tenants */
  budgetBytes: number;
  /** a body larger than this is kept as its size only */
  bodyBytes: number;
}

interface Held {
  exchange: HeldExchange;
  bytes: number;
  dropped: boolean;
}

export function createJournalControl(tenants: ControlTenants, limits: JournalLimits, version: string) {
  let seq = 0;
  let totalBytes = 0;
  /** Every held entry in arrival order, across tenants; dropped ones are skipped and compacted away. */
  let queue: Held[] = [];
  let head = 0;
  /** Dropped entries still in `queue` past `head`: compacted away once they are half of it. */
  let droppedInQueue = 0;

  const drop = (held: Held) => {
    if (held.dropped) return;
    held.dropped = true;
    totalBytes -= held.bytes;
    droppedInQueue++;
  };
  // A tenant's entries in arrival order; reset and deletion drop them from the budget too.
  const byTenant = tenants.perTenant(
    (): Held[] => [],
    (list) => list.forEach(drop),
  );

  /** The one place the bounds are enforced: per tenant first, then the global budget, oldest first. */
  const admit = (list: Held[], held: Held) => {
    list.push(held);
    queue.push(held);
    totalBytes += held.bytes;
    while (list.length > limits.perTenant) drop(list.shift()!);
    while (totalBytes > limits.budgetBytes && head < queue.length) {
      const oldest = queue[head++];
      if (oldest.dropped) {
        droppedInQueue--;
        continue;
      }
      // The oldest live entry overall is also the oldest of its tenant.
      const owner = byTenant.peek(oldest.exchange.tenant);
      if (owner?.[0] === oldest) owner.shift();
      drop(oldest);
      droppedInQueue--;
    }
    // Entries dropped by the per-tenant cap, a reset or a deletion leave the queue here, so the queue
    // never holds more than twice what the journal keeps (and never what it no longer keeps, for long).
    if (head + droppedInQueue > 1024 && (head + droppedInQueue) * 2 > queue.length) {
      queue = queue.slice(head).filter((h) => !h.dropped);
      head = 0;
      droppedInQueue = 0;
    }
  };

  const journal = {
    /** Entries held for a tenant. */
    size: (id: string) => byTenant.peek(id)?.length ?? 0,
    /** Bytes held across all tenants (what the budget counts). */
    bytes: () => totalBytes,
    /** Entries the arrival queue still references, dropped ones included (bounded: see admit). */
    queued: () => queue.length - head,
    /** Records an API exchange (one that reached a tenant; control-plane and docs requests never do). */
    record(exchange: Exchange) {
      // A tenant deleted while its request ran gets no new journal.
      const { tenant } = exchange;
      if (tenant === undefined || !tenants.tenancy.has(tenant)) return;
      const { held, bytes } = holdExchange(exchange, tenant, ++seq, limits.bodyBytes);
      admit(byTenant.of(tenant), { exchange: held, bytes, dropped: false });
    },
    /** Entries oldest first; `tenant: '*'` merges every tenant's journal. */
    list(filter: { operation_id?: string; tenant?: string; limit?: number } = {}, on: On = {}) {
      const ids = filter.tenant === '*' ? byTenant.ids() : [filter.tenant === undefined ? tenants.idOf(on) : tenants.checkId(filter.tenant)];
      let held = ids.flatMap((t) => (byTenant.peek(t) ?? []).map((h) => h.exchange)).sort((a, b) => a.seq - b.seq);
      if (filter.operation_id) held = held.filter((e) => e.operationId === filter.operation_id);
      if (filter.limit !== undefined) held = held.slice(-filter.limit);
      // Entries are made (redacted, bodies parsed back) only now, for those asked for.
      const entries = held.map((h) => buildEntry(h, limits.bodyBytes));
      return { entries, capacity: limits.perTenant, bytes: totalBytes, budget_bytes: limits.budgetBytes, body_limit_bytes: limits.bodyBytes };
    },
    har(filter: { operation_id?: string; tenant?: string } = {}, on: On & { baseUrl?: string } = {}) {
      return toHar(journal.list(filter, on).entries, on.baseUrl ?? 'http://127.0.0.1', version);
    },
    clear(on: On = {}) {
      const list = byTenant.peek(tenants.idOf(on));
      const removed = list?.length ?? 0;
      if (list) list.splice(0).forEach(drop);
      return { removed };
    },
  };
  return journal;
}
