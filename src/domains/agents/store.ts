// Agents and their API keys. Secrets are never stored, only their hashes (DESIGN 3, secrets).
import type { Clock } from '../../state/clock.ts';
import type { Ids } from '../../state/ids.ts';
import { hashSecret, secretMatches } from '../../state/secrets.ts';

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

export const DEFAULT_SCOPES = ['messages:read', 'messages:write', 'conversations:read', 'presence:update'];

/** All of the store's state, plain and serialisable (snapshots walk it; no state hides in closures). */
export const emptyAgentData = () => ({
  agents: new Map<string, AgentRecord>(),
  keys: new Map<string, KeyRecord>(),
  keysByAgent: new Map<string, string[]>(),
  seq: 0,
});
export type AgentData = ReturnType<typeof emptyAgentData>;

export function createAgentStore(deps: { ids: Ids; clock: Clock }, data: AgentData = emptyAgentData()) {
  const { agents, keys, keysByAgent } = data;

  return {
    agents,
    keys,
    register(input: { agent_name: string; email?: string; metadata?: Record<string, unknown> }) {
      const recoveryKey = deps.ids.recoveryKey();
      const now = deps.clock.now();
      const record: AgentRecord = {
        agent_id: deps.ids.agent(),
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
      agents.set(record.agent_id, record);
      return { record, recoveryKey };
    },
    /** A live (not deleted) agent, or undefined. */
    get(agentId: string): AgentRecord | undefined {
      const agent = agents.get(agentId);
      return agent && !agent.deleted_at ? agent : undefined;
    },
    checkRecoveryKey(agentId: string, secret: string): AgentRecord | undefined {
      const agent = this.get(agentId);
      return agent && secretMatches(secret, agent.recoveryKeyHash) ? agent : undefined;
    },
    createKey(agentId: string, input: { name: string; scopes: string[]; expires_in_days?: number }) {
      const apiKey = deps.ids.apiKey();
      const now = deps.clock.now();
      const record: KeyRecord = {
        key_id: deps.ids.key(),
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
    keysOf(agentId: string): KeyRecord[] {
      return (keysByAgent.get(agentId) ?? []).map((id) => keys.get(id)!);
    },
    /** The agent's usable key matching the secret: not revoked, not expired. */
    checkApiKey(agentId: string, secret: string): KeyRecord | undefined {
      if (!this.get(agentId)) return undefined;
      const now = deps.clock.now().getTime();
      return this.keysOf(agentId).find(
        (k) => !k.revoked_at && (!k.expires_at || k.expires_at.getTime() > now) && secretMatches(secret, k.hash),
      );
    },
    /** Sets revoked_at once; false when the key was already revoked. */
    revokeKey(key: KeyRecord): boolean {
      if (key.revoked_at) return false;
      key.revoked_at = deps.clock.now();
      return true;
    },
    /** Live agents in registration order. */
    live(): AgentRecord[] {
      return [...agents.values()].filter((a) => !a.deleted_at).sort((a, b) => a.seq - b.seq);
    },
    /** Marks the agent deleted and revokes its keys: every credential of it fails from now on. */
    markDeleted(agent: AgentRecord) {
      agent.deleted_at = deps.clock.now();
      agent.verification = null;
      for (const key of this.keysOf(agent.agent_id)) this.revokeKey(key);
    },
    keyIsLive(keyId: string): boolean {
      const key = keys.get(keyId);
      return Boolean(key && !key.revoked_at && this.get(key.agent_id));
    },
  };
}

export type AgentStore = ReturnType<typeof createAgentStore>;
