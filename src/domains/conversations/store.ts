// Conversations and membership. The direct-message index maps an unordered pair of agents to its one
// 1:1 conversation (docs, chat: the shortcut "finds the existing 1:1 conversation or creates it").
// Lookup and creation happen in one synchronous step, so concurrent requests cannot create two.
import type { Clock } from '../../state/clock.ts';
import type { Ids } from '../../state/ids.ts';

export interface ConversationRecord {
  conversation_id: string;
  type: 'group' | 'direct';
  name: string | null;
  members: string[];
  created_by: string;
  created_at: Date;
  last_activity_at: Date;
  /** monotonic activity counter: ordering never depends on timestamp ties */
  activity_seq: number;
}

export const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

export const emptyConversationData = () => ({
  conversations: new Map<string, ConversationRecord>(),
  directByPair: new Map<string, string>(),
  seq: 0,
});
export type ConversationData = ReturnType<typeof emptyConversationData>;

export function createConversationStore(deps: { ids: Ids; clock: Clock }, data: ConversationData = emptyConversationData()) {
  const { conversations, directByPair } = data;

  const create = (type: 'group' | 'direct', createdBy: string, members: string[], name: string | null) => {
    const now = deps.clock.now();
    const record: ConversationRecord = {
      conversation_id: deps.ids.conversation(),
      type,
      name,
      members: [createdBy, ...members.filter((m) => m !== createdBy)],
      created_by: createdBy,
      created_at: now,
      last_activity_at: now,
      activity_seq: ++data.seq,
    };
    conversations.set(record.conversation_id, record);
    return record;
  };

  return {
    conversations,
    directByPair,
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
  };
}

export type ConversationStore = ReturnType<typeof createConversationStore>;
