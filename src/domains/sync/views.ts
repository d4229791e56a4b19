import type { Schema } from '../../http/types.ts';
import type { Clock } from '../../state/clock.ts';
import type { MembershipEvent } from '../conversations/store.ts';
import type { MessageRecord } from '../messages/store.ts';
import { toMessageView } from '../messages/views.ts';

/** A message as the feed reports it: its latest state decides the event type. */
export function toMessageEventView(clock: Clock, m: MessageRecord): Schema<'SyncEvent'> {
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

export const toMembershipEventView = (clock: Clock, e: MembershipEvent): Schema<'SyncEvent'> => ({
  type: `conversation.${e.type}`,
  conversation_id: e.conversation_id,
  occurred_at: clock.iso(e.at),
});
