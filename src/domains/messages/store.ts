// Messages, kept per conversation in send order. Every message gets a position in the tenant's global
// sequence (src/basics/sequence.ts), so pagination and sync cursors are positions in a total order and
// never depend on timestamp ties.
// `seq` is the message's place in the conversation (fixed at send); `update_seq` is its latest change
// (send, edit or delete), drawn from the same sequence, so an edited or deleted message re-surfaces in
// the sync feed after any cursor handed out before the change.
import type { Clock } from '../../basics/clock.ts';
import { untaken, type Ids } from '../../basics/ids.ts';
import type { Sequence } from '../../basics/sequence.ts';
import { countAfter, indexAfter, insertSorted } from '../../basics/sorted.ts';
import type { Schema } from '../../spec/schema-types.ts';

// Memory: a tenant may hold a million messages, so a record is lean (test/message-memory.test.ts): one
// object of a fixed shape made by one literal, times as ms since the epoch (a number, not a Date: views
// render them, src/basics/clock.ts iso), strings shared with the records they name (the conversation's
// id, the sender's agent_id), and no array for the usual message that mentions nobody. A snapshot taken
// before times were numbers holds Dates there; views read either.
export interface MessageRecord {
  message_id: string;
  conversation_id: string;
  sender_id: string;
  content: string;
  type: Schema<'MessageType'>;
  in_reply_to: string | null;
  mention: readonly string[];
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  seq: number;
  update_seq: number;
}

/** The mention list of every message that mentions nobody. */
export const NO_MENTIONS: readonly string[] = Object.freeze([]);

export interface Change {
  seq: number;
  id: string;
}

export const emptyMessageData = () => ({
  messages: new Map<string, MessageRecord>(),
  /** message ids per conversation, in send order (ascending seq) */
  byConversation: new Map<string, string[]>(),
  /** every change (send, edit, delete) per conversation in sequence order: the sync feed walks these */
  changes: new Map<string, Change[]>(),
  /** ascending seqs per "conversation|sender" (sent) and per conversation and "conversation|sender" (deleted): unread counts in O(log n) */
  sentBy: new Map<string, number[]>(),
  deletedIn: new Map<string, number[]>(),
  deletedBy: new Map<string, number[]>(),
});
export type MessageData = ReturnType<typeof emptyMessageData>;

export type Message = Readonly<MessageRecord>;

export function createMessageStore(deps: { ids: Ids; clock: Clock; sequence: Sequence }, data: MessageData = emptyMessageData()) {
  const { messages, byConversation } = data;
  const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  const logChange = (record: MessageRecord) => push(data.changes, record.conversation_id, { seq: record.update_seq, id: record.message_id });
  const seqOf = (id: string) => messages.get(id)!.seq;

  const inConversation = (conversationId: string) => (byConversation.get(conversationId) ?? []).map((id) => messages.get(id)!);

  const recordOf = (id: string) => {
    const found = messages.get(id);
    if (!found) throw new Error(`message ${id} not found`);
    return found;
  };

  return {
    add(input: Pick<MessageRecord, 'conversation_id' | 'sender_id' | 'content' | 'type' | 'in_reply_to' | 'mention'>): Message {
      const seq = deps.sequence.next();
      // Every field, in one order, in one literal: every record shares one hidden class.
      const record: MessageRecord = {
        message_id: untaken(deps.ids.message, (id) => messages.has(id)),
        conversation_id: input.conversation_id,
        sender_id: input.sender_id,
        content: input.content,
        type: input.type,
        in_reply_to: input.in_reply_to,
        mention: input.mention.length === 0 ? NO_MENTIONS : [...input.mention],
        created_at: deps.clock.nowMs(),
        edited_at: null,
        deleted_at: null,
        seq,
        update_seq: seq,
      };
      messages.set(record.message_id, record);
      push(byConversation, record.conversation_id, record.message_id);
      push(data.sentBy, `${record.conversation_id}|${record.sender_id}`, seq);
      logChange(record);
      return record;
    },
    get: (id: string): Message | undefined => messages.get(id),
    inConversation: (conversationId: string): Message[] => inConversation(conversationId),
    count: () => messages.size,
    /** Messages ever sent into the conversation, deleted ones included. */
    countIn: (conversationId: string) => byConversation.get(conversationId)?.length ?? 0,
    edit(id: string, content: string): Message {
      const record = recordOf(id);
      record.content = content;
      record.edited_at = deps.clock.nowMs();
      record.update_seq = deps.sequence.next();
      logChange(record);
      return record;
    },
    remove(id: string): Message {
      const record = recordOf(id);
      record.deleted_at = deps.clock.nowMs();
      record.update_seq = deps.sequence.next();
      logChange(record);
      const deletedIn = data.deletedIn.get(record.conversation_id) ?? [];
      insertSorted(deletedIn, record.seq);
      data.deletedIn.set(record.conversation_id, deletedIn);
      const byKey = `${record.conversation_id}|${record.sender_id}`;
      const deletedBy = data.deletedBy.get(byKey) ?? [];
      insertSorted(deletedBy, record.seq);
      data.deletedBy.set(byKey, deletedBy);
      return record;
    },
    /**
     * One page of a conversation's live messages in send order, after (asc) or before (desc) a position,
     * found by binary search and walked only as far as the page needs.
     */
    page(conversationId: string, direction: 'asc' | 'desc', limit: number, position?: number): { page: Message[]; has_more: boolean } {
      const ids = byConversation.get(conversationId) ?? [];
      const page: MessageRecord[] = [];
      let has_more = false;
      const step = direction === 'asc' ? 1 : -1;
      let i = direction === 'asc' ? (position === undefined ? 0 : indexAfter(ids, position, seqOf)) : (position === undefined ? ids.length : indexAfter(ids, position - 1, seqOf)) - 1;
      for (; i >= 0 && i < ids.length; i += step) {
        const message = messages.get(ids[i])!;
        if (message.deleted_at) continue;
        if (page.length === limit) {
          has_more = true;
          break;
        }
        page.push(message);
      }
      return { page, has_more };
    },
    /** The newest live message of a conversation. */
    last(conversationId: string): Message | null {
      const ids = byConversation.get(conversationId) ?? [];
      for (let i = ids.length - 1; i >= 0; i--) {
        const message = messages.get(ids[i])!;
        if (!message.deleted_at) return message;
      }
      return null;
    },
    /** Live messages after a position not sent by the agent, in O(log n). */
    unreadAfter(conversationId: string, agentId: string, position: number) {
      const ids = byConversation.get(conversationId) ?? [];
      const all = ids.length - indexAfter(ids, position, seqOf);
      const deleted = countAfter(data.deletedIn.get(conversationId), position);
      const own = countAfter(data.sentBy.get(`${conversationId}|${agentId}`), position);
      const ownDeleted = countAfter(data.deletedBy.get(`${conversationId}|${agentId}`), position);
      return all - deleted - (own - ownDeleted);
    },
    /** The current state of up to `limit` messages changed after a position, in change order. */
    changesAfter(conversationId: string, position: number, limit: number): Message[] {
      const log = data.changes.get(conversationId) ?? [];
      const out: MessageRecord[] = [];
      for (let i = indexAfter(log, position, (c) => c.seq); i < log.length && out.length < limit; i++) {
        const message = messages.get(log[i].id)!;
        if (message.update_seq === log[i].seq) out.push(message); // older entries of a changed message are superseded
      }
      return out;
    },
  };
}

export type MessageStore = ReturnType<typeof createMessageStore>;
