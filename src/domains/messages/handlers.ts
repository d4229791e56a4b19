import { invalidRequest } from '../../http/errors.ts';
import { caller, defineHandlers } from '../../http/types.ts';
import { assertMaySend, liveAgentOr404, visibleConversation } from '../rules.ts';
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
      conversation = state.stores.conversations.findOrCreateDirect(me, body.recipient_agent_id).record;
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
});
