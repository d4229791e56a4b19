// Messages: send (Quickstart, with the direct-message shortcut), history, edit, delete (inferred).
import { forbidden } from '../../errors.ts';
import { caller } from '../../handler.ts';
import { visibleConversation } from '../conversations/membership.ts';
import { defineHandlers } from '../define.ts';
import { sendMessage, visibleMessage } from './sending.ts';
import { toMessageView } from './views.ts';

export const messageHandlers = defineHandlers({
  sendMessage(ctx) {
    const me = caller(ctx).agentId;
    const { body } = ctx;
    // The schema's oneOf guarantees exactly one of conversation_id and recipient_agent_id.
    const to = body.recipient_agent_id !== undefined ? { recipient_agent_id: body.recipient_agent_id } : { conversation_id: body.conversation_id! };
    const message = sendMessage(ctx.state, me, to, {
      content: body.content,
      type: body.type ?? 'text',
      in_reply_to: body.in_reply_to ?? null,
      mention: body.mention ?? [],
    });
    return { status: 201, body: toMessageView(ctx.state.clock, message) };
  },

  listMessages(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const conversation = visibleConversation(state, me, ctx.params.conversation_id);
    const order = ctx.query.order ?? 'desc';
    // Bound to conversation, caller and order: a cursor of another walk is a forged one (400).
    const list = `messages:${conversation.conversation_id}:${me}:${order}`;
    const position = ctx.query.cursor ? Number(state.cursors.decode(list, ctx.query.cursor).after) : undefined;
    const { page, has_more } = state.stores.messages.page(conversation.conversation_id, order, ctx.query.limit!, position);
    const next = has_more ? state.cursors.encode(list, { after: page[page.length - 1].seq }) : null;
    // Oldest-first walks can go on as messages arrive: their last page still says where to continue.
    // Every message of this conversation up to the current sequence position has been served then.
    const cursor = order === 'asc' && !has_more ? state.cursors.encode(list, { after: state.sequence.current() }) : next;
    return { status: 200, body: { messages: page.map((m) => toMessageView(state.clock, m)), cursor, has_more } };
  },

  editMessage(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const { message } = visibleMessage(state, me, ctx.params.message_id);
    if (message.sender_id !== me) throw forbidden('only the sender may edit a message');
    return { status: 200, body: toMessageView(state.clock, state.stores.messages.edit(message.message_id, ctx.body.content)) };
  },

  deleteMessage(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const { message } = visibleMessage(state, me, ctx.params.message_id);
    if (message.sender_id !== me) throw forbidden('only the sender may delete a message');
    state.stores.messages.remove(message.message_id);
    return { status: 204 };
  },
});
