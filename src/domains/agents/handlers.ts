import { notFound } from '../../http/errors.ts';
import { paginate } from '../../http/paginate.ts';
import { caller, defineHandlers } from '../../http/types.ts';
import { toAuditEventView } from '../audit/views.ts';
import { authVia } from '../auth/handlers.ts';
import { deleteAccount } from './account-deletion.ts';
import { DEFAULT_SCOPES } from './store.ts';
import { toCreatedKeyView, toKeySummaryView } from './views.ts';


export const agentHandlers = defineHandlers({
  createApiKey(ctx) {
    // The path agent_id equals the Basic header's (docs, agents): x-fluxra-owner-param, enforced by the pipeline.
    const principal = caller(ctx);
    const { record, apiKey } = ctx.state.stores.agents.createKey(principal.agentId, {
      name: ctx.body.name,
      scopes: ctx.body.scopes ?? DEFAULT_SCOPES,
      expires_in_days: ctx.body.expires_in_days,
    });
    ctx.state.stores.audit.record(principal.agentId, 'key.created', {
      key_id: record.key_id,
      details: { name: record.name, scopes: [...record.scopes], expires_at: record.expires_at ? ctx.state.clock.iso(record.expires_at) : null },
    });
    return { status: 201, body: toCreatedKeyView(ctx.state.clock, record, apiKey), headers: { 'Cache-Control': 'no-store' } };
  },

  listApiKeys(ctx) {
    const principal = caller(ctx);
    const keys = ctx.state.stores.agents.keysOf(principal.agentId).slice().reverse();
    return { status: 200, body: { agent_id: principal.agentId, keys: keys.map((k) => toKeySummaryView(ctx.state.clock, k)) } };
  },

  revokeApiKey(ctx) {
    const principal = caller(ctx);
    const { agents, audit } = ctx.state.stores;
    const key = agents.keys.get(ctx.params.key_id);
    if (!key || key.agent_id !== principal.agentId) throw notFound('key not found');
    // Idempotent: a second revoke keeps the first revoked_at and records nothing new.
    if (agents.revokeKey(key)) audit.record(principal.agentId, 'key.revoked', { key_id: key.key_id, details: { auth: authVia(principal) } });
    return { status: 204 };
  },

  deleteAgent(ctx) {
    const principal = caller(ctx);
    deleteAccount(ctx.state, principal.agentId);
    return { status: 204 };
  },

  listAuditLog(ctx) {
    const principal = caller(ctx);
    const { state } = ctx;
    const { page, has_more, next } = paginate(state.stores.audit.of(principal.agentId), (e) => e.seq, ctx.query, state.cursors, `audit:${principal.agentId}`);
    return {
      status: 200,
      body: { agent_id: principal.agentId, events: page.map((e) => toAuditEventView(state.clock, e)), next_cursor: next, has_more },
    };
  },
});
