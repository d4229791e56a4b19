// One isolated fake world: stores, clock, ids, keys and settings. The app holds one per tenant
// (X-Fluxra-Tenant), created on first use; nothing here is a module singleton.
import { createAgentStore, emptyAgentData } from '../domains/agents/store.ts';
import { createAuditStore, emptyAuditData } from '../domains/audit/store.ts';
import { createBlockStore, emptyBlockData } from '../domains/blocks/store.ts';
import { createConversationStore, emptyConversationData } from '../domains/conversations/store.ts';
import { createMessageStore, emptyMessageData } from '../domains/messages/store.ts';
import { createClock, type Clock } from './clock.ts';
import { createCursors } from './cursor.ts';
import { createIds } from './ids.ts';
import { createRandom } from './random.ts';

export interface TenantOptions {
  seed?: string | number;
  tokenTtlSeconds?: number;
  clockStart?: Date;
  plainText401?: boolean;
}

export interface OutboxEmail {
  to: string;
  agent_id: string;
  subject: string;
  code: string;
  sent_at: string;
  expires_at: string;
}

/**
 * Everything a tenant knows, as plain data: Maps, arrays, plain objects, Dates, numbers, strings.
 * A snapshot is this object serialised; a store is a set of functions over its part of it. A new
 * store adds its part here and must keep no state of its own elsewhere.
 */
export const emptyTenantData = () => ({
  agents: emptyAgentData(),
  conversations: emptyConversationData(),
  messages: emptyMessageData(),
  blocks: emptyBlockData(),
  audit: emptyAuditData(),
  outbox: [] as OutboxEmail[],
  revokedJtis: new Set<string>(),
});
export type TenantData = ReturnType<typeof emptyTenantData>;

export function createStores(deps: { ids: ReturnType<typeof createIds>; clock: Clock }, data: TenantData) {
  return {
    agents: createAgentStore(deps, data.agents),
    conversations: createConversationStore(deps, data.conversations),
    messages: createMessageStore(deps, data.messages),
    blocks: createBlockStore(deps, data.blocks),
    audit: createAuditStore(deps, data.audit),
  };
}

export type Stores = ReturnType<typeof createStores>;

export function createTenantState(id: string, options: TenantOptions = {}) {
  // Each tenant draws from its own stream so one tenant's traffic never shifts another's ids.
  const random = createRandom(options.seed === undefined ? undefined : `${options.seed}:${id}`);
  const ids = createIds(random);
  const clock = createClock(options.clockStart);
  const jwtKey = random.bytes(32);
  // Kept on the state (not only inside `cursors`) so a snapshot can carry it: restored cursors stay valid.
  const cursorKey = random.bytes(32);
  const data = emptyTenantData();
  return {
    id,
    random,
    ids,
    clock,
    jwtKey,
    cursorKey,
    cursors: createCursors(cursorKey),
    data,
    stores: createStores({ ids, clock }, data),
    /** shorthands into data */
    outbox: data.outbox,
    revokedJtis: data.revokedJtis,
    settings: {
      tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
      plainText401: options.plainText401 ?? false,
    },
  };
}

export type TenantState = ReturnType<typeof createTenantState>;

export const DEFAULT_TENANT = 'default';
export const TENANT_HEADER = 'x-fluxra-tenant';
export const TENANT_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** All tenants of one app, created on first use up to a cap. */
export function createTenancy(options: TenantOptions & { maxTenants?: number } = {}) {
  const tenants = new Map<string, TenantState>();
  const maxTenants = options.maxTenants ?? 1000;
  return {
    maxTenants,
    get(id: string = DEFAULT_TENANT): TenantState | undefined {
      let state = tenants.get(id);
      if (!state) {
        if (tenants.size >= maxTenants) return undefined;
        state = createTenantState(id, options);
        tenants.set(id, state);
      }
      return state;
    },
    has: (id: string) => tenants.has(id),
    ids: () => [...tenants.keys()],
    /** Replaces a tenant's state with a fresh one (control plane reset). */
    reset(id: string = DEFAULT_TENANT) {
      const state = createTenantState(id, options);
      tenants.set(id, state);
      return state;
    },
    delete: (id: string) => tenants.delete(id),
  };
}

export type Tenancy = ReturnType<typeof createTenancy>;
