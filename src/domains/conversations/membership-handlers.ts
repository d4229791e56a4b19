// Group membership: add, remove, leave (the rules are in membership.ts).
import { caller } from '../../handler.ts';
import { defineHandlers } from '../define.ts';
import { addMembers, leave, removeMember, visibleConversation } from './membership.ts';
import { toConversationView } from './views.ts';

export const membershipHandlers = defineHandlers({
  addConversationMembers(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const conversation = visibleConversation(state, me, ctx.params.conversation_id);
    // The schema's oneOf guarantees exactly one of the two.
    addMembers(state, me, conversation, ctx.body.agent_ids ?? [ctx.body.agent_id!]);
    return { status: 200, body: toConversationView(state.clock, state.stores.conversations.get(conversation.conversation_id)!) };
  },

  removeConversationMember(ctx) {
    const me = caller(ctx).agentId;
    removeMember(ctx.state, me, visibleConversation(ctx.state, me, ctx.params.conversation_id), ctx.params.agent_id);
    return { status: 204 };
  },

  leaveConversation(ctx) {
    const me = caller(ctx).agentId;
    leave(ctx.state, me, visibleConversation(ctx.state, me, ctx.params.conversation_id));
    return { status: 204 };
  },
});
