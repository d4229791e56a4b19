// Conversations and membership. The direct-message index maps an unordered pair of agents to its one
// 1:1 conversation (docs, chat: the shortcut "finds the existing 1:1 conversation or creates it").
// Lookup and creation happen in one synchronous step, so concurrent requests cannot create two.
// Per-member state (when the member joined, how far it has read) and the log of joins and leaves are
// positions in the message store's global sequence, passed in by the caller: stores never import each
// other, and one sequence gives the sync feed a total order over messages and membership.
import type { Clock } from '../../state/clock.ts';
import type { Ids } from '../../state/ids.ts';

export interface MemberState {
  /** position in the global message sequence at which the member (last) joined */
  joined_seq: number;
  /** messages at or before this position are read (never moves backwards) */
  read_seq: number;
  last_read_message_id: string | null;
}

export interface ConversationRecord {
  conversation_id: string;
  type: 'group' | 'direct';
  name: string | null;
  members: string[];
  member_state: Record<string, MemberState>;
  created_by: string;
  created_at: Date;
  last_activity_at: Date;
  /** monotonic activity counter: ordering never depends on timestamp ties */
  activity_seq: number;
}

export interface MembershipEvent {
  seq: number;
  type: 'joined' | 'left';
  conversation_id: string;
  agent_id: string;
  at: Date;
}

export const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

export const emptyConversationData = () => ({
  conversations: new Map<string, ConversationRecord>(),
  directByPair: new Map<string, string>(),
  /** joins and leaves, in sequence order (the sync feed's membership events) */
  membershipLog: [] as MembershipEvent[],
  seq: 0,
});
export type ConversationData = ReturnType<typeof emptyConversationData>;

const freshMemberState = (): MemberState => ({ joined_seq: 0, read_seq: 0, last_read_message_id: null });

export function createConversationStore(deps: { ids: Ids; clock: Clock }, data: ConversationData = emptyConversationData()) {
  const { conversations, directByPair } = data;

  const create = (type: 'group' | 'direct', createdBy: string, members: string[], name: string | null) => {
    const now = deps.clock.now();
    const all = [createdBy, ...members.filter((m) => m !== createdBy)];
    const record: ConversationRecord = {
      conversation_id: deps.ids.conversation(),
      type,
      name,
      members: all,
      member_state: Object.fromEntries(all.map((m) => [m, freshMemberState()])),
      created_by: createdBy,
      created_at: now,
      last_activity_at: now,
      activity_seq: ++data.seq,
    };
    conversations.set(record.conversation_id, record);
    return record;
  };

  /** A member's read and join positions (a member made without them, e.g. by a seed, starts at 0). */
  const memberState = (record: ConversationRecord, agentId: string): MemberState => {
    record.member_state ??= {};
    return (record.member_state[agentId] ??= freshMemberState());
  };

  return {
    conversations,
    directByPair,
    membershipLog: data.membershipLog,
    createGroup: (createdBy: string, members: string[], name: string | null) => create('group', createdBy, members, name),
    /** Finds or creates the 1:1 conversation of the pair; `created` tells which. */
    findOrCreateDirect(a: string, b: string): { record: ConversationRecord; created: boolean } {
      const key = pairKey(a, b);
      const existing = directByPair.get(key);
      if (existing) return { record: conversations.get(existing)!, created: false };
      const record = create('direct', a, [b], null);
      directByPair.set(key, record.conversation_id);
      return { record, created: true };
    },
    get: (id: string) => conversations.get(id),
    isMember: (id: string, agentId: string) => Boolean(conversations.get(id)?.members.includes(agentId)),
    touch(id: string) {
      const record = conversations.get(id);
      if (record) {
        record.last_activity_at = deps.clock.now();
        record.activity_seq = ++data.seq;
      }
    },
    forMember: (agentId: string) => [...conversations.values()].filter((c) => c.members.includes(agentId)),
    memberState,
    /** Records that `agentId` joined at `seq` (adding it to the members if needed); reads start there. */
    recordJoin(record: ConversationRecord, agentId: string, seq: number) {
      if (!record.members.includes(agentId)) record.members.push(agentId);
      record.member_state ??= {};
      record.member_state[agentId] = { joined_seq: seq, read_seq: seq, last_read_message_id: null };
      data.membershipLog.push({ seq, type: 'joined', conversation_id: record.conversation_id, agent_id: agentId, at: deps.clock.now() });
    },
    recordLeave(record: ConversationRecord, agentId: string, seq: number) {
      record.members = record.members.filter((m) => m !== agentId);
      delete record.member_state?.[agentId];
      data.membershipLog.push({ seq, type: 'left', conversation_id: record.conversation_id, agent_id: agentId, at: deps.clock.now() });
    },
    rename(record: ConversationRecord, name: string | null) {
      record.name = name;
    },
    /** Moves the member's read marker forward only. */
    markRead(record: ConversationRecord, agentId: string, seq: number, messageId: string | null) {
      const state = memberState(record, agentId);
      if (seq > state.read_seq) {
        state.read_seq = seq;
        state.last_read_message_id = messageId;
      }
      return state;
    },
    membershipEventsOf: (agentId: string) => data.membershipLog.filter((e) => e.agent_id === agentId),
  };
}

export type ConversationStore = ReturnType<typeof createConversationStore>;
