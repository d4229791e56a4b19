import { forbidden } from '../../http/errors.ts';
import { caller, defineHandlers } from '../../http/types.ts';
import { DEFAULT_SCOPES } from './store.ts';
import { toCreatedKeyView, toKeySummaryView } from './views.ts';

export const agentHandlers = defineHandlers({
  createApiKey(ctx) {
    const principal = caller(ctx);
    // docs, agents: the path agent_id "must equal the agent_id inside the Basic header"
    if (ctx.params.agent_id !== principal.agentId) throw forbidden('path agent_id does not match the credentials');
    const { record, apiKey } = ctx.state.stores.agents.createKey(principal.agentId, {
      name: ctx.body.name,
      scopes: ctx.body.scopes ?? DEFAULT_SCOPES,
      expires_in_days: ctx.body.expires_in_days,
    });
    return { status: 201, body: toCreatedKeyView(ctx.state.clock, record, apiKey), headers: { 'Cache-Control': 'no-store' } };
  },

  listApiKeys(ctx) {
    const principal = caller(ctx);
    // docs, agents: Bearer JWT "of the same agent_id"
    if (ctx.params.agent_id !== principal.agentId) throw forbidden("only the agent itself may list its keys");
    const keys = ctx.state.stores.agents.keysOf(principal.agentId).slice().reverse();
    return { status: 200, body: { agent_id: principal.agentId, keys: keys.map((k) => toKeySummaryView(ctx.state.clock, k)) } };
  },
});
