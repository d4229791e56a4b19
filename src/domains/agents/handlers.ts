// API keys (documented: create, list; inferred: revoke), account deletion and the audit log.
import { notFound } from '../../errors.ts';
import { paginate } from '../../basics/paginate.ts';
import { caller } from '../../handler.ts';
import { toAuditEventView } from '../audit/views.ts';
import { authVia } from '../audit/store.ts';
import { defineHandlers } from '../define.ts';
import { createApiKey, deleteAccount } from './account.ts';
import { DEFAULT_SCOPES } from './store.ts';
import { toCreatedKeyView, toKeySummaryView } from './views.ts';

export const agentHandlers = defineHandlers({
  createApiKey(ctx) {
    // The path agent_id equals the Basic header's (docs, agents): x-fluxra-owner-param, enforced by the pipeline.
    const principal = caller(ctx);
    const { key, apiKey } = createApiKey(ctx.state, principal.agentId, {
      name: ctx.body.name,
      scopes: ctx.body.scopes ?? DEFAULT_SCOPES,
      expires_in_days: ctx.body.expires_in_days,
    });
    return { status: 201, body: toCreatedKeyView(ctx.state.clock, key, apiKey), headers: { 'Cache-Control': 'no-store' } };
  },

  listApiKeys(ctx) {
    const principal = caller(ctx);
    const keys = ctx.state.stores.agents.keysOf(principal.agentId).slice().reverse();
    return { status: 200, body: { agent_id: principal.agentId, keys: keys.map((k) => toKeySummaryView(ctx.state.clock, k)) } };
  },

  revokeApiKey(ctx) {
    const principal = caller(ctx);
    const { agents, audit } = ctx.state.stores;
    const key = agents.key(ctx.params.key_id);
    if (!key || key.agent_id !== principal.agentId) throw notFound('key not found');
    // Idempotent: a second revoke keeps the first revoked_at and records nothing new.
    if (agents.revokeKey(key.key_id)) audit.record(principal.agentId, 'key.revoked', { key_id: key.key_id, details: { auth: authVia(principal) } });
    return { status: 204 };
  },

  deleteAgent(ctx) {
    deleteAccount(ctx.state, caller(ctx).agentId);
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
