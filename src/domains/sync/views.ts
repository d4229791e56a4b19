import type { Schema } from '../../spec/schema-types.ts';
import type { Clock } from '../../basics/clock.ts';
import type { MembershipEvent } from '../conversations/store.ts';
import type { Message } from '../messages/store.ts';
import { toMessageView } from '../messages/views.ts';

/** A message as the feed reports it: its latest state decides the event type. */
export function toMessageEventView(clock: Clock, m: Message): Schema<'SyncEvent'> {
  if (m.deleted_at) {
    return { type: 'message.deleted', conversation_id: m.conversation_id, occurred_at: clock.iso(m.deleted_at), message_id: m.message_id };
  }
  return {
    type: m.edited_at ? 'message.edited' : 'message.created',
    conversation_id: m.conversation_id,
    occurred_at: clock.iso(m.edited_at ?? m.created_at),
    message_id: m.message_id,
    message: toMessageView(clock, m),
  };
}

export const toMembershipEventView = (clock: Clock, e: Readonly<MembershipEvent>): Schema<'SyncEvent'> => ({
  type: `conversation.${e.type}`,
  conversation_id: e.conversation_id,
  occurred_at: clock.iso(e.at),
});
