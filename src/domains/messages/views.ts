import type { Schema } from '../../spec/schema-types.ts';
import type { Clock } from '../../basics/clock.ts';
import type { Message } from './store.ts';

export const toMessageView = (clock: Clock, m: Message): Schema<'Message'> => ({
  message_id: m.message_id,
  conversation_id: m.conversation_id,
  sender_id: m.sender_id,
  content: m.content,
  type: m.type,
  status: 'sent',
  in_reply_to: m.in_reply_to,
  mention: m.mention.length === 0 ? [] : [...m.mention],
  created_at: clock.iso(m.created_at),
  edited_at: m.edited_at ? clock.iso(m.edited_at) : null,
});
