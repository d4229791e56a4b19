import type { Schema } from '../../http/types.ts';
import type { Clock } from '../../state/clock.ts';
import type { MessageRecord } from '../messages/store.ts';
import { toMessageView } from '../messages/views.ts';
import type { ConversationRecord } from './store.ts';

export const toConversationView = (clock: Clock, c: ConversationRecord): Schema<'Conversation'> => ({
  conversation_id: c.conversation_id,
  type: c.type,
  name: c.name,
  members: [...c.members],
  created_by: c.created_by,
  created_at: clock.iso(c.created_at),
  last_activity_at: clock.iso(c.last_activity_at),
});

/** The conversation as one member sees it (listConversations, getConversation). */
export const toConversationSummaryView = (clock: Clock, c: ConversationRecord, unreadCount: number, last: MessageRecord | null): Schema<'ConversationSummary'> => ({
  ...toConversationView(clock, c),
  unread_count: unreadCount,
  last_message: last ? toMessageView(clock, last) : null,
});
