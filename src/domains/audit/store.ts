// The audit log of account events, per agent, in the order they happened (a sequence number, never a
// timestamp tie). Events carry ids and non-secret particulars only: no key, token or code ever enters.
import type { Principal } from '../../auth/verify.ts';
import type { Clock } from '../../basics/clock.ts';
import type { Ids } from '../../basics/ids.ts';

export type AuditEventType =
  | 'agent.registered'
  | 'key.created'
  | 'key.revoked'
  | 'token.issued'
  | 'token.refreshed'
  | 'token.revoked'
  | 'email.verified'
  | 'email.resent'
  | 'profile.updated'
  | 'account.deleted';

export interface AuditEventRecord {
  event_id: string;
  agent_id: string;
  type: AuditEventType;
  created_at: Date;
  key_id: string | null;
  details: Record<string, string | number | boolean | string[] | null>;
  seq: number;
}

export const emptyAuditData = () => ({
  byAgent: new Map<string, AuditEventRecord[]>(),
  seq: 0,
});
export type AuditData = ReturnType<typeof emptyAuditData>;

export function createAuditStore(deps: { ids: Ids; clock: Clock }, data: AuditData = emptyAuditData()) {
  const { byAgent } = data;
  return {
    record(agentId: string, type: AuditEventType, extra: { key_id?: string | null; details?: AuditEventRecord['details'] } = {}) {
      const event: AuditEventRecord = {
        event_id: `evt_${deps.ids.hex(12)}`,
        agent_id: agentId,
        type,
        created_at: deps.clock.now(),
        key_id: extra.key_id ?? null,
        details: { ...(extra.details ?? {}) },
        seq: ++data.seq,
      };
      const list = byAgent.get(agentId) ?? [];
      list.push(event);
      byAgent.set(agentId, list);
      return event;
    },
    of: (agentId: string): AuditEventRecord[] => byAgent.get(agentId) ?? [],
  };
}

export type AuditStore = ReturnType<typeof createAuditStore>;

/** How the caller proved itself, for the audit log (never the credential itself). */
export const authVia = (p: Principal) => (p.via === 'recoveryKeyBasic' ? 'recovery_key' : p.via === 'apiKeyBasic' ? 'api_key' : 'token');
