// Group membership: add, remove, leave. A direct conversation keeps exactly its two members.
// Who may do what (inferred, openapi.yaml): any member adds and renames; only the creator removes
// others; everyone may leave. Adding is all or nothing.
import { conflict, forbidden, notFound } from '../../http/errors.ts';
import { caller, defineHandlers } from '../../http/types.ts';
import { joinConversation, leaveConversation, liveAgentOr404, visibleConversation } from '../rules.ts';
import type { ConversationRecord } from './store.ts';
import { toConversationView } from './views.ts';

function assertGroup(conversation: ConversationRecord) {
  if (conversation.type === 'direct') throw forbidden('a direct conversation keeps exactly its two members');
}

const notMember = (agentId: string) => notFound(`agent ${agentId} is not a member of this conversation`);

export const membershipHandlers = defineHandlers({
  addConversationMembers(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const conversation = visibleConversation(state, me, ctx.params.conversation_id);
    assertGroup(conversation);
    // The schema's oneOf guarantees exactly one of the two.
    const wanted = ctx.body.agent_ids ?? [ctx.body.agent_id!];
    for (const agentId of wanted) {
      liveAgentOr404(state, agentId);
      if (conversation.members.includes(agentId)) throw conflict(`agent ${agentId} is already a member`);
      // Adding someone to a group puts the adder's messages in front of them: a block forbids it.
      if (state.stores.blocks.blocksAgent(agentId, me)) throw forbidden(`agent ${agentId} has blocked you`);
    }
    joinConversation(state, conversation, wanted);
    return { status: 200, body: toConversationView(state.clock, conversation) };
  },

  removeConversationMember(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const conversation = visibleConversation(state, me, ctx.params.conversation_id);
    assertGroup(conversation);
    const target = ctx.params.agent_id;
    if (!conversation.members.includes(target)) throw notMember(target);
    if (target !== me && conversation.created_by !== me) throw forbidden('only the creator of the group may remove other members');
    leaveConversation(state, conversation, target);
    return { status: 204 };
  },

  leaveConversation(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const conversation = visibleConversation(state, me, ctx.params.conversation_id);
    assertGroup(conversation);
    leaveConversation(state, conversation, me);
    return { status: 204 };
  },
});
