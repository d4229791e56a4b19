// Messages, kept per conversation in send order. Every message gets a global sequence number, so
// pagination and sync cursors are positions in a total order and never depend on timestamp ties.
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

  return {
    messages,
    byConversation,
    add(input: Pick<MessageRecord, 'conversation_id' | 'sender_id' | 'content' | 'type' | 'in_reply_to' | 'mention'>) {
      const record: MessageRecord = {
        ...input,
        message_id: deps.ids.message(),
        status: 'sent',
        created_at: deps.clock.now(),
        edited_at: null,
        deleted_at: null,
        seq: ++data.seq,
      };
      messages.set(record.message_id, record);
      const list = byConversation.get(record.conversation_id) ?? [];
      list.push(record.message_id);
      byConversation.set(record.conversation_id, list);
      return record;
    },
    get: (id: string) => messages.get(id),
    inConversation: (conversationId: string) => (byConversation.get(conversationId) ?? []).map((id) => messages.get(id)!),
    /** bumps the sequence, e.g. when a message is edited, so sync feeds see the change */
    nextSeq: () => ++data.seq,
  };
}

export type MessageStore = ReturnType<typeof createMessageStore>;
