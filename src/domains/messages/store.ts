// Messages, kept per conversation in send order. Every message gets a global sequence number, so
// pagination and sync cursors are positions in a total order and never depend on timestamp ties.
// `seq` is the message's place in the conversation (fixed at send); `update_seq` is its latest change
// (send, edit or delete), drawn from the same sequence, so an edited or deleted message re-surfaces in
// the sync feed after any cursor handed out before the change.
import type { Clock } from '../../state/clock.ts';
import type { Ids } from '../../state/ids.ts';

export interface MessageRecord {
  message_id: string;
  conversation_id: string;
  sender_id: string;
  content: string;
  type: string;
  status: 'sent';
  in_reply_to: string | null;
  mention: string[];
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  seq: number;
  update_seq: number;
}

export const emptyMessageData = () => ({
  messages: new Map<string, MessageRecord>(),
  /** message ids per conversation, in send order */
  byConversation: new Map<string, string[]>(),
  seq: 0,
});
export type MessageData = ReturnType<typeof emptyMessageData>;

export function createMessageStore(deps: { ids: Ids; clock: Clock }, data: MessageData = emptyMessageData()) {
  const { messages, byConversation } = data;

  const inConversation = (conversationId: string) => (byConversation.get(conversationId) ?? []).map((id) => messages.get(id)!);

  return {
    messages,
    byConversation,
    add(input: Pick<MessageRecord, 'conversation_id' | 'sender_id' | 'content' | 'type' | 'in_reply_to' | 'mention'>) {
      const seq = ++data.seq;
      const record: MessageRecord = {
        ...input,
        message_id: deps.ids.message(),
        status: 'sent',
        created_at: deps.clock.now(),
        edited_at: null,
        deleted_at: null,
        seq,
        update_seq: seq,
      };
      messages.set(record.message_id, record);
      const list = byConversation.get(record.conversation_id) ?? [];
      list.push(record.message_id);
      byConversation.set(record.conversation_id, list);
      return record;
    },
    get: (id: string) => messages.get(id),
    inConversation,
    /** the conversation's messages that are not deleted, in send order */
    liveInConversation: (conversationId: string) => inConversation(conversationId).filter((m) => !m.deleted_at),
    edit(record: MessageRecord, content: string) {
      record.content = content;
      record.edited_at = deps.clock.now();
      record.update_seq = ++data.seq;
      return record;
    },
    remove(record: MessageRecord) {
      record.deleted_at = deps.clock.now();
      record.update_seq = ++data.seq;
      return record;
    },
    /** bumps the sequence, e.g. when a message is edited, so sync feeds see the change */
    nextSeq: () => ++data.seq,
    /** the last position handed out */
    currentSeq: () => data.seq,
  };
}

export type MessageStore = ReturnType<typeof createMessageStore>;
