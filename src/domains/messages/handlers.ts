import { forbidden, invalidRequest } from '../../http/errors.ts';
import { caller, defineHandlers } from '../../http/types.ts';
import { assertMaySend, joinConversation, liveAgentOr404, visibleConversation, visibleMessage } from '../rules.ts';
import { toMessageView } from './views.ts';

export const messageHandlers = defineHandlers({
  sendMessage(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const body = ctx.body;
    let conversation;
    if (body.recipient_agent_id !== undefined) {
      if (body.recipient_agent_id === me) throw invalidRequest('recipient_agent_id must be another agent');
      liveAgentOr404(state, body.recipient_agent_id);
      // Synchronous find-or-create: no await between lookup and insert, so racing requests share one.
      const found = state.stores.conversations.findOrCreateDirect(me, body.recipient_agent_id);
      conversation = found.record;
      if (found.created) joinConversation(state, conversation, conversation.members);
    } else {
      // The schema's oneOf guarantees conversation_id when recipient_agent_id is absent.
      conversation = visibleConversation(state, me, body.conversation_id!);
    }
    assertMaySend(state, me, conversation);
    if (body.in_reply_to !== undefined) {
      const original = state.stores.messages.get(body.in_reply_to);
      if (!original || original.conversation_id !== conversation.conversation_id) {
        throw invalidRequest('in_reply_to must be a message of the same conversation');
      }
    }
    const record = state.stores.messages.add({
      conversation_id: conversation.conversation_id,
      sender_id: me,
      content: body.content,
      type: body.type ?? 'text',
      in_reply_to: body.in_reply_to ?? null,
      mention: body.mention ?? [],
    });
    state.stores.conversations.touch(conversation.conversation_id);
    return { status: 201, body: toMessageView(state.clock, record) };
  },

  listMessages(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const conversation = visibleConversation(state, me, ctx.params.conversation_id);
    const order = ctx.query.order ?? 'desc';
    // Bound to conversation, caller and order: a cursor of another walk is a forged one (400).
    const list = `messages:${conversation.conversation_id}:${me}:${order}`;
    const position = ctx.query.cursor ? Number(state.cursors.decode(list, ctx.query.cursor).after) : undefined;
    const { page, has_more } = state.stores.messages.page(conversation.conversation_id, order, ctx.query.limit ?? 50, position);
    const next = has_more ? state.cursors.encode(list, { after: page[page.length - 1].seq }) : null;
    // Oldest-first walks can go on as messages arrive: their last page still says where to continue.
    // Every message of this conversation up to the current sequence position has been served then.
    const cursor = order === 'asc' && !has_more ? state.cursors.encode(list, { after: state.stores.messages.currentSeq() }) : next;
    return { status: 200, body: { messages: page.map((m) => toMessageView(state.clock, m)), cursor, has_more } };
  },

  editMessage(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const { message } = visibleMessage(state, me, ctx.params.message_id);
    if (message.sender_id !== me) throw forbidden('only the sender may edit a message');
    return { status: 200, body: toMessageView(state.clock, state.stores.messages.edit(message, ctx.body.content)) };
  },

  deleteMessage(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const { message } = visibleMessage(state, me, ctx.params.message_id);
    if (message.sender_id !== me) throw forbidden('only the sender may delete a message');
    state.stores.messages.remove(message);
    return { status: 204 };
  },
});
