// The world a handler acts on: one tenant's stores and the basics they share. The domains define its
// shape; the tenant assembly (src/tenant/tenant.ts) builds one per tenant. Handlers and services see
// only this, so they never reach the tenant's raw data (which only snapshots read).
import type { Clock } from '../basics/clock.ts';
import type { Cursors } from '../basics/cursor.ts';
import type { Ids } from '../basics/ids.ts';
import type { Sequence } from '../basics/sequence.ts';
import type { AuthPorts } from '../auth/verify.ts';
import type { Tokens } from '../auth/tokens.ts';
import type { AgentStore } from './agents/store.ts';
import type { AuditStore } from './audit/store.ts';
import type { Outbox } from './auth/outbox.ts';
import type { Revocations } from './auth/revocations.ts';
import type { BlockStore } from './blocks/store.ts';
import type { ConversationStore } from './conversations/store.ts';
import type { MessageStore } from './messages/store.ts';

export interface Stores {
  agents: AgentStore;
  conversations: ConversationStore;
  messages: MessageStore;
  blocks: BlockStore;
  audit: AuditStore;
  outbox: Outbox;
  revocations: Revocations;
}

/** The fake's caps (src/defaults.ts): process configuration, the same for every tenant, never part of a snapshot. */
export interface Limits {
  /** agents per tenant, deleted ones included */
  maxAgents: number;
  /** conversations per tenant */
  maxConversations: number;
  /** API keys per agent, revoked ones included */
  maxKeysPerAgent: number;
  /** members of one conversation */
  maxMembers: number;
  /** messages of one conversation, deleted ones included */
  maxMessages: number;
}

/** A tenant's settings that the API reads (the control plane changes them). */
export interface TenantSettings {
  tokenTtlSeconds: number;
  /** The documented middleware caveat: 401 bodies as text/plain. */
  plainText401: boolean;
}

export interface World {
  readonly id: string;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly cursors: Cursors;
  readonly sequence: Sequence;
  readonly settings: TenantSettings;
  readonly limits: Limits;
  readonly tokens: Tokens;
  /** What the security verifiers (src/auth/verify.ts) need of this world. */
  readonly auth: AuthPorts;
  readonly stores: Stores;
}
