// Conversations: create (Quickstart), list, get, update (inferred).
import { invalidRequest } from '../../errors.ts';
import { paginate } from '../../basics/paginate.ts';
import { caller } from '../../handler.ts';
import { liveAgentOr404 } from '../agents/lookup.ts';
import { defineHandlers } from '../define.ts';
import { lastMessage, unreadCount } from '../reads/counts.ts';
import type { World } from '../world.ts';
import { createGroup, openDirect, renameGroup, visibleConversation } from './membership.ts';
import type { Conversation } from './store.ts';
import { toConversationSummaryView, toConversationView } from './views.ts';

const summary = (world: World, c: Conversation, me: string) =>
  toConversationSummaryView(world.clock, c, unreadCount(world, c, me), lastMessage(world, c));

export const conversationHandlers = defineHandlers({
  createConversation(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const type: 'group' | 'direct' = ctx.body.type ?? 'group';
    const others = [...new Set<string>(ctx.body.members ?? [])].filter((m) => m !== me);
    for (const member of others) liveAgentOr404(state, member);
    if (type === 'direct') {
      if (others.length !== 1) throw invalidRequest('a direct conversation has exactly one other member');
      // The same 1:1 conversation the direct-message shortcut finds or creates.
      const { record, created } = openDirect(state, me, others[0]);
      return { status: created ? 201 : 200, body: toConversationView(state.clock, record) };
    }
    return { status: 201, body: toConversationView(state.clock, createGroup(state, me, others, ctx.body.name ?? null)) };
  },

  listConversations(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    // Newest activity first by activity sequence; the cursor is the last activity position served.
    const { page, has_more, next } = paginate(
      state.stores.conversations.forMember(me), (c) => c.activity_seq, ctx.query, state.cursors, `conversations:${me}`, 'desc',
    );
    return { status: 200, body: { conversations: page.map((c) => summary(state, c, me)), next_cursor: next, has_more } };
  },

  getConversation(ctx) {
    const me = caller(ctx).agentId;
    const conversation = visibleConversation(ctx.state, me, ctx.params.conversation_id);
    return { status: 200, body: summary(ctx.state, conversation, me) };
  },

  updateConversation(ctx) {
    const me = caller(ctx).agentId;
    const { state } = ctx;
    const conversation = visibleConversation(state, me, ctx.params.conversation_id);
    return { status: 200, body: toConversationView(state.clock, renameGroup(state, me, conversation, ctx.body.name ?? null)) };
  },
});
