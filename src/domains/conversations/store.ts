// Conversations and membership. The direct-message index maps an unordered pair of agents to its one
// 1:1 conversation (docs, chat: the shortcut "finds the existing 1:1 conversation or creates it").
// Lookup and creation happen in one synchronous step, so concurrent requests cannot create two.
// Per-member state (when the member joined, how far it has read) and the log of joins and leaves are
// positions in the tenant's global sequence (src/basics/sequence.ts), which the message store draws from
// too: one sequence gives the sync feed a total order over messages and membership, and the two stores
// never import each other.
import type { Clock } from '../../basics/clock.ts';
import { untaken, type Ids } from '../../basics/ids.ts';
import type { Sequence } from '../../basics/sequence.ts';

export interface MemberState {
  /** position in the global sequence at which the member (last) joined */
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

export type Conversation = Readonly<ConversationRecord>;

export interface MembershipEvent {
  seq: number;
  type: 'joined' | 'left';
  conversation_id: string;
  agent_id: string;
  at: Date;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

export const emptyConversationData = () => ({
  conversations: new Map<string, ConversationRecord>(),
  directByPair: new Map<string, string>(),
  /** joins and leaves, in sequence order (the sync feed's membership events) */
  membershipLog: [] as MembershipEvent[],
  seq: 0,
});
export type ConversationData = ReturnType<typeof emptyConversationData>;

const freshMemberState = (): MemberState => ({ joined_seq: 0, read_seq: 0, last_read_message_id: null });

export function createConversationStore(deps: { ids: Ids; clock: Clock; sequence: Sequence }, data: ConversationData = emptyConversationData()) {
  const { conversations, directByPair } = data;
  const record = (id: string) => {
    const found = conversations.get(id);
    if (!found) throw new Error(`conversation ${id} not found`);
    return found;
  };

  const create = (type: 'group' | 'direct', createdBy: string, members: string[], name: string | null) => {
    const now = deps.clock.now();
    const all = [createdBy, ...members.filter((m) => m !== createdBy)];
    const created: ConversationRecord = {
      conversation_id: untaken(deps.ids.conversation, (id) => conversations.has(id)),
      type,
      name,
      members: all,
      member_state: Object.fromEntries(all.map((m) => [m, freshMemberState()])),
      created_by: createdBy,
      created_at: now,
      last_activity_at: now,
      activity_seq: ++data.seq,
    };
    conversations.set(created.conversation_id, created);
    return created;
  };

  /** A member's read and join positions (one not recorded yet starts at 0). */
  const memberState = (c: ConversationRecord, agentId: string): MemberState => (c.member_state[agentId] ??= freshMemberState());

  return {
    /** A group with its creator and members; nobody has joined yet (see recordJoin). */
    createGroup: (createdBy: string, members: string[], name: string | null): Conversation => create('group', createdBy, members, name),
    /** Finds or creates the 1:1 conversation of the pair; `created` tells which. */
    findOrCreateDirect(a: string, b: string): { record: Conversation; created: boolean } {
      const key = pairKey(a, b);
      const existing = directByPair.get(key);
      if (existing) return { record: record(existing), created: false };
      const created = create('direct', a, [b], null);
      directByPair.set(key, created.conversation_id);
      return { record: created, created: true };
    },
    /** The 1:1 conversation of the pair, if it exists. */
    findDirect: (a: string, b: string): Conversation | undefined => {
      const id = directByPair.get(pairKey(a, b));
      return id ? conversations.get(id) : undefined;
    },
    get: (id: string): Conversation | undefined => conversations.get(id),
    all: (): Conversation[] => [...conversations.values()],
    count: () => conversations.size,
    isMember: (id: string, agentId: string) => Boolean(conversations.get(id)?.members.includes(agentId)),
    forMember: (agentId: string): Conversation[] => [...conversations.values()].filter((c) => c.members.includes(agentId)),
    memberState: (c: Conversation, agentId: string): Readonly<MemberState> => memberState(record(c.conversation_id), agentId),
    /** New activity (creation, a message): the conversation moves to the head of its members' lists. */
    touch(id: string) {
      const c = record(id);
      c.last_activity_at = deps.clock.now();
      c.activity_seq = ++data.seq;
    },
    /** Records that `agentId` joined now (adding it to the members if needed); its reads start here. */
    recordJoin(id: string, agentId: string) {
      const c = record(id);
      const seq = deps.sequence.next();
      if (!c.members.includes(agentId)) c.members.push(agentId);
      c.member_state[agentId] = { joined_seq: seq, read_seq: seq, last_read_message_id: null };
      data.membershipLog.push({ seq, type: 'joined', conversation_id: id, agent_id: agentId, at: deps.clock.now() });
    },
    recordLeave(id: string, agentId: string) {
      const c = record(id);
      const seq = deps.sequence.next();
      c.members = c.members.filter((m) => m !== agentId);
      delete c.member_state[agentId];
      data.membershipLog.push({ seq, type: 'left', conversation_id: id, agent_id: agentId, at: deps.clock.now() });
    },
    rename(id: string, name: string | null): Conversation {
      const c = record(id);
      c.name = name;
      return c;
    },
    /** Moves the member's read marker forward only. */
    markRead(id: string, agentId: string, seq: number, messageId: string | null) {
      const state = memberState(record(id), agentId);
      if (seq > state.read_seq) {
        state.read_seq = seq;
        state.last_read_message_id = messageId;
      }
      return state as Readonly<MemberState>;
    },
    membershipEventsOf: (agentId: string): Readonly<MembershipEvent>[] => data.membershipLog.filter((e) => e.agent_id === agentId),
  };
}

export type ConversationStore = ReturnType<typeof createConversationStore>;
