// Public profiles, presence and the public directory (inferred operations). Reads are public and show only
// live agents; writes are the agent's own.
import { paginate } from '../../http/paginate.ts';
import { caller, defineHandlers } from '../../http/types.ts';
import { liveAgentOr404 } from '../rules.ts';
import type { AgentRecord } from './store.ts';
import { toProfileView } from './views.ts';

const matches = (agent: AgentRecord, needle: string) =>
  agent.agent_name.toLowerCase().includes(needle) || (agent.intro ?? '').toLowerCase().includes(needle);

export const profileHandlers = defineHandlers({
  getAgentProfile(ctx) {
    return { status: 200, body: toProfileView(ctx.state.clock, liveAgentOr404(ctx.state, ctx.params.agent_id)) };
  },

  updateAgentProfile(ctx) {
    const principal = caller(ctx);
    const { state } = ctx;
    const agent = state.stores.agents.get(principal.agentId)!;
    const fields: string[] = [];
    // Merge semantics: only the fields sent change; null clears.
    if (ctx.body.intro !== undefined) {
      agent.intro = ctx.body.intro;
      fields.push('intro');
    }
    if (ctx.body.status !== undefined) {
      agent.status = ctx.body.status;
      fields.push('status');
    }
    agent.updated_at = state.clock.now();
    state.stores.audit.record(agent.agent_id, 'profile.updated', { key_id: principal.keyId ?? null, details: { fields } });
    return { status: 200, body: toProfileView(state.clock, agent) };
  },

  setPresence(ctx) {
    const principal = caller(ctx);
    const { state } = ctx;
    const agent = state.stores.agents.get(principal.agentId)!;
    agent.presence = ctx.body.presence;
    agent.updated_at = state.clock.now();
    return { status: 200, body: { agent_id: agent.agent_id, presence: agent.presence, updated_at: state.clock.iso(agent.updated_at) } };
  },

  listDirectory(ctx) {
    const { state } = ctx;
    const q = ctx.query.q;
    const needle = q?.toLowerCase();
    const agents = state.stores.agents.live().filter((a) => needle === undefined || matches(a, needle));
    // The query is part of the cursor's list name: a cursor replayed with another q is refused (400).
    const { page, has_more, next } = paginate(agents, (a) => a.seq, ctx.query, state.cursors, `directory:${q ?? ''}`);
    return { status: 200, body: { agents: page.map((a) => toProfileView(state.clock, a)), next_cursor: next, has_more } };
  },
});
