// Public profiles, presence and the public directory (inferred operations). Reads are public and show only
// live agents; writes are the agent's own.
import { caller } from '../../handler.ts';
import { defineHandlers } from '../define.ts';
import { liveAgentOr404 } from './lookup.ts';
import type { Agent } from './store.ts';
import { toPresenceView, toProfileView } from './views.ts';

const matches = (agent: Agent, needle: string) =>
  agent.agent_name.toLowerCase().includes(needle) || (agent.intro ?? '').toLowerCase().includes(needle);

export const profileHandlers = defineHandlers({
  getAgentProfile(ctx) {
    return { status: 200, body: toProfileView(ctx.state.clock, liveAgentOr404(ctx.state, ctx.params.agent_id)) };
  },

  updateAgentProfile(ctx) {
    const principal = caller(ctx);
    const { state } = ctx;
    const agent = state.stores.agents.updateProfile(principal.agentId, { intro: ctx.body.intro, status: ctx.body.status });
    const fields = (['intro', 'status'] as const).filter((f) => ctx.body[f] !== undefined);
    state.stores.audit.record(agent.agent_id, 'profile.updated', { key_id: principal.keyId ?? null, details: { fields } });
    return { status: 200, body: toProfileView(state.clock, agent) };
  },

  setPresence(ctx) {
    const { state } = ctx;
    const agent = state.stores.agents.setPresence(caller(ctx).agentId, ctx.body.presence);
    return { status: 200, body: toPresenceView(state.clock, agent) };
  },

  listDirectory(ctx) {
    const { state } = ctx;
    const q = ctx.query.q;
    const needle = q?.toLowerCase();
    const limit = ctx.query.limit!; // openapi.yaml's default applies
    // The query is part of the cursor's list name: a cursor replayed with another q is refused (400).
    const list = `directory:${q ?? ''}`;
    const after = ctx.query.cursor ? Number(state.cursors.decode(list, ctx.query.cursor).after) : 0;
    const found = state.stores.agents.livePage(after, limit, (a) => needle === undefined || matches(a, needle));
    const page = found.slice(0, limit);
    const has_more = found.length > limit;
    const next = has_more ? state.cursors.encode(list, { after: page[page.length - 1].seq }) : null;
    return { status: 200, body: { agents: page.map((a) => toProfileView(state.clock, a)), next_cursor: next, has_more } };
  },
});
