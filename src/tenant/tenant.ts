// The tenant assembly: one isolated fake world (src/domains/world.ts) built from the domains' stores and
// the basics, with all of its state in one plain-data object (`data`), which only snapshots read and
// write (src/control/snapshot.ts). Nothing here is a module singleton: every app makes its own tenants.
import { createTokens } from '../auth/tokens.ts';
import { createClock } from '../basics/clock.ts';
import { createCursors } from '../basics/cursor.ts';
import { createIds } from '../basics/ids.ts';
import { createRandom, emptyRandomData, type RandomData } from '../basics/random.ts';
import { createSequence, emptySequenceData } from '../basics/sequence.ts';
import { DEFAULTS } from '../defaults.ts';
import { createAgentStore, emptyAgentData } from '../domains/agents/store.ts';
import { createAuditStore, emptyAuditData } from '../domains/audit/store.ts';
import { createOutbox, emptyOutboxData } from '../domains/auth/outbox.ts';
import { createRevocations, emptyRevocationData } from '../domains/auth/revocations.ts';
import { createBlockStore, emptyBlockData } from '../domains/blocks/store.ts';
import { createConversationStore, emptyConversationData } from '../domains/conversations/store.ts';
import { createMessageStore, emptyMessageData } from '../domains/messages/store.ts';
import type { Limits, Stores, TenantSettings, World } from '../domains/world.ts';

export interface TenantOptions {
  seed?: string | number;
  tokenTtlSeconds?: number;
  clockStart?: Date;
  plainText401?: boolean;
  /** caps (default src/defaults.ts) */
  limits?: Partial<Limits>;
}

export const limitsOf = (given: Partial<Limits> = {}): Limits => ({
  maxAgents: given.maxAgents ?? DEFAULTS.maxAgents,
  maxConversations: given.maxConversations ?? DEFAULTS.maxConversations,
  maxKeysPerAgent: given.maxKeysPerAgent ?? DEFAULTS.maxKeysPerAgent,
  maxMembers: given.maxMembers ?? DEFAULTS.maxMembers,
  maxMessages: given.maxMessages ?? DEFAULTS.maxMessages,
});

/** The keys a tenant draws at creation: JWT signing and cursor HMAC (a snapshot carries them). */
export interface TenantKeys {
  jwt: Uint8Array;
  cursor: Uint8Array;
}

/**
 * Everything a tenant knows, as plain data: Maps, Sets, arrays, plain objects, Dates, numbers, strings,
 * bytes. A snapshot is this object serialised; a store is a set of functions over its part of it. A new
 * store adds its part here and keeps no state of its own elsewhere.
 */
export const emptyTenantData = (keys: TenantKeys, settings: TenantSettings, random: RandomData = emptyRandomData()) => ({
  keys,
  settings,
  random,
  sequence: emptySequenceData(),
  agents: emptyAgentData(),
  conversations: emptyConversationData(),
  messages: emptyMessageData(),
  blocks: emptyBlockData(),
  audit: emptyAuditData(),
  outbox: emptyOutboxData(),
  revokedJtis: emptyRevocationData(),
});
export type TenantData = ReturnType<typeof emptyTenantData>;

export interface Tenant extends World {
  /** The tenant's whole state as plain data: for snapshots and restores, never for handlers. */
  readonly data: TenantData;
}

export function createTenant(id: string, options: TenantOptions = {}): Tenant {
  // Each tenant draws from its own stream so one tenant's traffic never shifts another's ids.
  const randomData = emptyRandomData();
  const random = createRandom(options.seed === undefined ? undefined : `${options.seed}:${id}`, randomData);
  const ids = createIds(random);
  const clock = createClock(options.clockStart);
  const keys: TenantKeys = { jwt: random.bytes(32), cursor: random.bytes(32) };
  const data = emptyTenantData(
    keys,
    { tokenTtlSeconds: options.tokenTtlSeconds ?? DEFAULTS.tokenTtlSeconds, plainText401: options.plainText401 ?? false },
    randomData,
  );
  const sequence = createSequence(data.sequence);
  const deps = { ids, clock, sequence };
  const stores: Stores = {
    agents: createAgentStore(deps, data.agents),
    conversations: createConversationStore(deps, data.conversations),
    messages: createMessageStore(deps, data.messages),
    blocks: createBlockStore(deps, data.blocks),
    audit: createAuditStore(deps, data.audit),
    outbox: createOutbox(data.outbox),
    revocations: createRevocations(data.revokedJtis),
  };
  // Keys and settings are read through `data` on every use, so a restore (which refills `data`) brings
  // its own signing key, cursor key and settings with it.
  const tokens = createTokens({ clock, key: () => data.keys.jwt, ttlSeconds: () => data.settings.tokenTtlSeconds, newJti: () => ids.jti() });
  return {
    id,
    clock,
    ids,
    sequence,
    cursors: createCursors(() => data.keys.cursor),
    settings: data.settings,
    limits: limitsOf(options.limits),
    tokens,
    stores,
    auth: {
      checkRecoveryKey: (agentId, secret) => stores.agents.checkRecoveryKey(agentId, secret),
      useApiKey: (agentId, secret) => stores.agents.useApiKey(agentId, secret),
      isLiveAgent: (agentId) => stores.agents.get(agentId) !== undefined,
      keyIsLive: (keyId) => stores.agents.keyIsLive(keyId),
      isRevoked: (jti) => stores.revocations.isRevoked(jti),
      tokens,
    },
    data,
  };
}
