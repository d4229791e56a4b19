import type { Schema } from '../../spec/schema-types.ts';
import type { Clock } from '../../basics/clock.ts';
import type { Message } from '../messages/store.ts';
import { toMessageView } from '../messages/views.ts';
import type { Conversation } from './store.ts';

export const toConversationView = (clock: Clock, c: Conversation): Schema<'Conversation'> => ({
  conversation_id: c.conversation_id,
  type: c.type,
  name: c.name,
  members: [...c.members],
  created_by: c.created_by,
  created_at: clock.iso(c.created_at),
  last_activity_at: clock.iso(c.last_activity_at),
});

/** The conversation as one member sees it (listConversations, getConversation). */
export const toConversationSummaryView = (clock: Clock, c: Conversation, unreadCount: number, last: Message | null): Schema<'ConversationSummary'> => ({
  ...toConversationView(clock, c),
  unread_count: unreadCount,
  last_message: last ? toMessageView(clock, last) : null,
});
