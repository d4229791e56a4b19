// Read markers and unread counts. A marker is a position in the global message sequence, per member,
// kept in the conversation's member state; it only moves forward.
import { notFound } from '../../http/errors.ts';
import { caller, defineHandlers } from '../../http/types.ts';
import type { TenantState } from '../../state/tenant.ts';
import type { ConversationRecord } from '../conversations/store.ts';
import { lastMessage, unreadCount, visibleConversation } from '../rules.ts';

const readState = (state: TenantState, c: ConversationRecord, me: string) => ({
  conversation_id: c.conversation_id,
  last_read_message_id: state.stores.conversations.memberState(c, me).last_read_message_id,
  unread_count: unreadCount(state, c, me),
});

export const readHandlers = defineHandlers({
  markConversationRead(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const conversation = visibleConversation(state, me, ctx.params.conversation_id);
    const messageId = ctx.body?.message_id;
    // A deleted message still marks its position: clients may race a deletion.
    const upTo = messageId === undefined ? lastMessage(state, conversation) : state.stores.messages.get(messageId);
    if (messageId !== undefined && upTo?.conversation_id !== conversation.conversation_id) {
      throw notFound('message not found in this conversation');
    }
    if (upTo) state.stores.conversations.markRead(conversation, me, upTo.seq, upTo.message_id);
    return { status: 200, body: readState(state, conversation, me) };
  },

  getUnreadCounts(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const conversations = state.stores.conversations
      .forMember(me)
      .sort((a, b) => b.activity_seq - a.activity_seq)
      .map((c) => readState(state, c, me))
      .filter((r) => r.unread_count > 0);
    const total = conversations.reduce((sum, r) => sum + r.unread_count, 0);
    return { status: 200, body: { total, conversations } };
  },
});
