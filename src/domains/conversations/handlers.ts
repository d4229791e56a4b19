import { forbidden, invalidRequest } from '../../http/errors.ts';
import { paginate } from '../../http/paginate.ts';
import { caller, defineHandlers } from '../../http/types.ts';
import type { TenantState } from '../../state/tenant.ts';
import { joinConversation, lastMessage, liveAgentOr404, unreadCount, visibleConversation } from '../rules.ts';
import type { ConversationRecord } from './store.ts';
import { toConversationSummaryView, toConversationView } from './views.ts';

const summary = (state: TenantState, c: ConversationRecord, me: string) =>
  toConversationSummaryView(state.clock, c, unreadCount(state, c, me), lastMessage(state, c));

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
      const { record, created } = state.stores.conversations.findOrCreateDirect(me, others[0]);
      if (created) joinConversation(state, record, record.members);
      return { status: created ? 201 : 200, body: toConversationView(state.clock, record) };
    }
    const record = state.stores.conversations.createGroup(me, others, ctx.body.name ?? null);
    joinConversation(state, record, record.members);
    return { status: 201, body: toConversationView(state.clock, record) };
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
    // A direct conversation is defined by its pair: nothing about it is a setting.
    if (conversation.type === 'direct') throw forbidden('a direct conversation has no settings to change');
    state.stores.conversations.rename(conversation, ctx.body.name ?? null);
    return { status: 200, body: toConversationView(state.clock, conversation) };
  },
});
