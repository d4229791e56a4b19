// Agents and their API keys. Secrets are never stored, only their hashes (src/basics/secrets.ts), and
// the store hands out read-only records: every change goes through one of its methods.
import type { Clock } from '../../basics/clock.ts';
import { untaken, type Ids } from '../../basics/ids.ts';
import { hashSecret, secretMatches } from '../../basics/secrets.ts';

export interface AgentRecord {
  agent_id: string;
  agent_name: string;
  email: string | null;
  metadata: Record<string, unknown>;
  recoveryKeyHash: string;
  created_at: Date;
  email_verified: boolean;
  email_verified_at: Date | null;
  /** the one live verification code (a resend replaces it); null when none is pending */
  verification: PendingVerification | null;
  /** public profile (inferred operations; `status` is self-declared, `presence` set with presence:update) */
  intro: string | null;
  status: string | null;
  presence: Presence;
  /** last change of intro, status or presence */
  updated_at: Date;
  deleted_at: Date | null;
  /** registration order: the directory pages over it */
  seq: number;
}

export type Presence = 'online' | 'away' | 'offline';

export interface PendingVerification {
  codeHash: string;
  expires_at: Date;
  failed_attempts: number;
}

export interface KeyRecord {
  key_id: string;
  agent_id: string;
  name: string;
  scopes: string[];
  hash: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export type Agent = Readonly<AgentRecord>;
export type Key = Readonly<KeyRecord>;

export const DEFAULT_SCOPES = ['messages:read', 'messages:write', 'conversations:read', 'presence:update'];

/** All of the store's state, plain and serialisable (snapshots walk it; no state hides in closures). */
export const emptyAgentData = () => ({
  agents: new Map<string, AgentRecord>(),
  keys: new Map<string, KeyRecord>(),
  keysByAgent: new Map<string, string[]>(),
  seq: 0,
});
export type AgentData = ReturnType<typeof emptyAgentData>;

export interface RegisterInput {
  agent_name: string;
  email?: string;
  metadata?: Record<string, unknown>;
  /** a known id or secret (declarative seeding); drawn from the tenant's ids otherwise */
  agent_id?: string;
  recovery_key?: string;
}

export interface KeyInput {
  name: string;
  scopes: string[];
  expires_in_days?: number;
  /** a known secret (declarative seeding); drawn otherwise */
  api_key?: string;
}

export function createAgentStore(deps: { ids: Ids; clock: Clock }, data: AgentData = emptyAgentData()) {
  const { agents, keys, keysByAgent } = data;
  /** A live (not deleted) agent's record, for the store's own changes. */
  const live = (agentId: string) => {
    const agent = agents.get(agentId);
    return agent && !agent.deleted_at ? agent : undefined;
  };
  const mustLive = (agentId: string) => {
    const agent = live(agentId);
    if (!agent) throw new Error(`agent ${agentId} is not a live agent`);
    return agent;
  };
  const keysOf = (agentId: string): KeyRecord[] => (keysByAgent.get(agentId) ?? []).map((id) => keys.get(id)!);
  const revoke = (key: KeyRecord) => {
    if (key.revoked_at) return false;
    key.revoked_at = deps.clock.now();
    return true;
  };

  return {
    register(input: RegisterInput): { record: Agent; recoveryKey: string } {
      const recoveryKey = input.recovery_key ?? deps.ids.recoveryKey();
      const now = deps.clock.now();
      const record: AgentRecord = {
        agent_id: input.agent_id ?? untaken(deps.ids.agent, (id) => agents.has(id)),
        agent_name: input.agent_name,
        email: input.email ?? null,
        metadata: input.metadata ?? {},
        recoveryKeyHash: hashSecret(recoveryKey),
        created_at: now,
        email_verified: false,
        email_verified_at: null,
        verification: null,
        intro: null,
        status: null,
        presence: 'offline',
        updated_at: now,
        deleted_at: null,
        seq: ++data.seq,
      };
      if (agents.has(record.agent_id)) throw new Error(`agent ${record.agent_id} already exists`);
      agents.set(record.agent_id, record);
      return { record, recoveryKey };
    },
    /** A live (not deleted) agent, or undefined. */
    get: (agentId: string): Agent | undefined => live(agentId),
    /** Whether the id was ever taken, by a live or a deleted agent. */
    exists: (agentId: string) => agents.has(agentId),
    /** Every agent, deleted ones included (inspection). */
    all: (): Agent[] => [...agents.values()],
    count: () => agents.size,
    /**
     * Up to `limit` + 1 live agents registered after position `after` that `match`, in registration
     * order. The Map is that order already (an agent is inserted once, when its `seq` is drawn; snapshots
     * keep the order), so a page costs a walk to its place and no sort: the public directory's cost no
     * longer grows with a sort of every agent per request.
     */
    livePage(after: number, limit: number, match: (agent: Agent) => boolean): Agent[] {
      const out: Agent[] = [];
      for (const agent of agents.values()) {
        if (agent.seq <= after || agent.deleted_at || !match(agent)) continue;
        out.push(agent);
        if (out.length > limit) break;
      }
      return out;
    },
    checkRecoveryKey(agentId: string, secret: string): Agent | undefined {
      const agent = live(agentId);
      return agent && secretMatches(secret, agent.recoveryKeyHash) ? agent : undefined;
    },

    createKey(agentId: string, input: KeyInput): { record: Key; apiKey: string } {
      mustLive(agentId);
      const apiKey = input.api_key ?? deps.ids.apiKey();
      const now = deps.clock.now();
      const record: KeyRecord = {
        key_id: untaken(deps.ids.key, (id) => keys.has(id)),
        agent_id: agentId,
        name: input.name,
        scopes: [...input.scopes],
        hash: hashSecret(apiKey),
        created_at: now,
        expires_at: input.expires_in_days ? new Date(now.getTime() + input.expires_in_days * 86_400_000) : null,
        last_used_at: null,
        revoked_at: null,
      };
      keys.set(record.key_id, record);
      keysByAgent.set(agentId, [...(keysByAgent.get(agentId) ?? []), record.key_id]);
      return { record, apiKey };
    },
    key: (keyId: string): Key | undefined => keys.get(keyId),
    keysOf: (agentId: string): Key[] => keysOf(agentId),
    /** The agent's usable key matching the secret (not revoked, not expired); records its use. */
    useApiKey(agentId: string, secret: string): Key | undefined {
      if (!live(agentId)) return undefined;
      const now = deps.clock.now();
      const key = keysOf(agentId).find((k) => !k.revoked_at && (!k.expires_at || k.expires_at.getTime() > now.getTime()) && secretMatches(secret, k.hash));
      if (key) key.last_used_at = now;
      return key;
    },
    /** Sets revoked_at once; false when the key was already revoked (or is unknown). */
    revokeKey(keyId: string): boolean {
      const key = keys.get(keyId);
      return key ? revoke(key) : false;
    },
    keyIsLive(keyId: string): boolean {
      const key = keys.get(keyId);
      return Boolean(key && !key.revoked_at && live(key.agent_id));
    },

    /** Marks the agent deleted and revokes its keys: every credential of it fails from now on. */
    markDeleted(agentId: string) {
      const agent = mustLive(agentId);
      agent.deleted_at = deps.clock.now();
      agent.verification = null;
      for (const key of keysOf(agentId)) revoke(key);
    },
    /** Merge semantics: only the fields given change; null clears one. */
    updateProfile(agentId: string, fields: { intro?: string | null; status?: string | null }): Agent {
      const agent = mustLive(agentId);
      if (fields.intro !== undefined) agent.intro = fields.intro;
      if (fields.status !== undefined) agent.status = fields.status;
      agent.updated_at = deps.clock.now();
      return agent;
    },
    setPresence(agentId: string, presence: Presence): Agent {
      const agent = mustLive(agentId);
      agent.presence = presence;
      agent.updated_at = deps.clock.now();
      return agent;
    },

    /** The pending verification code (a resend replaces it). */
    startVerification(agentId: string, codeHash: string, expiresAt: Date) {
      mustLive(agentId).verification = { codeHash, expires_at: expiresAt, failed_attempts: 0 };
    },
    /** Counts a wrong code; returns the attempts so far. */
    failVerification(agentId: string): number {
      const pending = mustLive(agentId).verification;
      if (!pending) return 0;
      return ++pending.failed_attempts;
    },
    dropVerification(agentId: string) {
      mustLive(agentId).verification = null;
    },
    markEmailVerified(agentId: string) {
      const agent = mustLive(agentId);
      agent.verification = null;
      agent.email_verified = true;
      agent.email_verified_at = deps.clock.now();
    },
  };
}

export type AgentStore = ReturnType<typeof createAgentStore>;
