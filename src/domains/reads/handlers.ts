// Read markers and unread counts. A marker is a position in the global sequence, per member, kept in
// the conversation's member state; it only moves forward.
import { notFound } from '../../errors.ts';
import { caller } from '../../handler.ts';
import { visibleConversation } from '../conversations/membership.ts';
import type { Conversation } from '../conversations/store.ts';
import { defineHandlers } from '../define.ts';
import type { World } from '../world.ts';
import { lastMessage, unreadCount } from './counts.ts';

const readState = (world: World, c: Conversation, me: string) => ({
  conversation_id: c.conversation_id,
  last_read_message_id: world.stores.conversations.memberState(c, me).last_read_message_id,
  unread_count: unreadCount(world, c, me),
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
    if (upTo) state.stores.conversations.markRead(conversation.conversation_id, me, upTo.seq, upTo.message_id);
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
