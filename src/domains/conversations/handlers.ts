import { invalidRequest } from '../../http/errors.ts';
import { caller, defineHandlers } from '../../http/types.ts';
import { liveAgentOr404 } from '../rules.ts';
import { toConversationView } from './views.ts';

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
      return { status: created ? 201 : 200, body: toConversationView(state.clock, record) };
    }
    const record = state.stores.conversations.createGroup(me, others, ctx.body.name ?? null);
    return { status: 201, body: toConversationView(state.clock, record) };
  },
});
