// revokeApiKey, deleteAgent, listAuditLog (all inferred): what a revoke or a deletion changes in what the
// server accepts, who may do them, and the account's event log.
import { describe, expect } from 'vitest';
import { basic, bearer, contractActor, type Actor } from './lib/actors.ts';
import { call, useContractTarget } from './lib/call.ts';
import { expectError, expectStatus } from './lib/checks.ts';
import { contract } from './lib/contract.ts';

useContractTarget();

interface Key { key_id: string; revoked_at: string | null }
interface Event { event_id: string; type: string; key_id: string | null }
interface EventPage { events: Event[]; has_more: boolean; next_cursor: string | null }

const recovery = (a: Actor) => basic(a.agentId, a.recoveryKey);
const revokeKey = (agentId: string, keyId: string, auth?: string) => call('revokeApiKey', { path: { agent_id: agentId, key_id: keyId }, auth });
const whoami = (token: string) => call('getWhoami', { auth: bearer(token) });
const exchange = (agentId: string, apiKey: string) => call('exchangeToken', { auth: basic(agentId, apiKey), body: { grant_type: 'client_credentials' } });
const tokenOf = async (agentId: string, apiKey: string) => (expectStatus(await exchange(agentId, apiKey), 200).body as { access_token: string }).access_token;
async function secondKey(a: Actor) {
  const ex = expectStatus(await call('createApiKey', { path: { agent_id: a.agentId }, auth: recovery(a), body: { name: 'second' } }), 201, 200);
  const { key_id: keyId, api_key: apiKey } = ex.body as { key_id: string; api_key: string };
  return { keyId, apiKey, token: await tokenOf(a.agentId, apiKey) };
}
async function keys(a: Actor, token: string) {
  return (expectStatus(await call('listApiKeys', { path: { agent_id: a.agentId }, auth: bearer(token) }), 200).body as { keys: Key[] }).keys;
}
const auditLog = (agentId: string, token: string, query?: Record<string, string | number>) =>
  call('listAuditLog', { path: { agent_id: agentId }, auth: bearer(token), query });

describe('revokeApiKey', () => {
  contract('inferred', "revoked by a token of the same agent: the key's tokens are 401, it gets no new token, it stays listed with revoked_at", async () => {
    const a = await contractActor();
    const other = await secondKey(a);
    expectStatus(await revokeKey(a.agentId, a.keyId, bearer(other.token)), 204);
    expectError(await whoami(a.token), 401, 'UNAUTHORIZED');
    expectError(await call('refreshToken', { auth: bearer(a.token) }), 401, 'UNAUTHORIZED');
    expectError(await exchange(a.agentId, a.apiKey), 401, 'UNAUTHORIZED');
    expectStatus(await whoami(other.token), 200); // the other key is untouched
    const listed = await keys(a, other.token);
    const revokedAt = listed.find((k) => k.key_id === a.keyId)?.revoked_at;
    expect(revokedAt).toEqual(expect.any(String));
    expect(listed.find((k) => k.key_id === other.keyId)?.revoked_at).toBeNull();

    // Again, now with the recovery key: 204, and the first revoked_at stays.
    expectStatus(await revokeKey(a.agentId, a.keyId, recovery(a)), 204);
    expect((await keys(a, other.token)).find((k) => k.key_id === a.keyId)?.revoked_at).toBe(revokedAt);
  });

  contract('inferred', 'revoked with the recovery key: the key gets no new token and its tokens are 401', async () => {
    const a = await contractActor();
    expectStatus(await revokeKey(a.agentId, a.keyId, recovery(a)), 204);
    expectError(await exchange(a.agentId, a.apiKey), 401, 'UNAUTHORIZED');
    expectError(await whoami(a.token), 401, 'UNAUTHORIZED');
  });

  contract('inferred', "another agent's path is 403, its key under one's own path or an unknown key 404, a malformed id 400, no or API-key credentials 401", async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    expectError(await revokeKey(b.agentId, b.keyId, bearer(a.token)), 403, 'FORBIDDEN');
    expectError(await revokeKey(b.agentId, b.keyId, recovery(a)), 403, 'FORBIDDEN');
    expectError(await revokeKey(a.agentId, b.keyId, bearer(a.token)), 404, 'NOT_FOUND');
    expectError(await revokeKey(a.agentId, 'aky_000000000000000000000000', bearer(a.token)), 404, 'NOT_FOUND');
    expectError(await revokeKey('agt_nothex', a.keyId, bearer(a.token)), 400, 'INVALID_AGENT_ID');
    expectError(await revokeKey(a.agentId, a.keyId), 401, 'UNAUTHORIZED');
    expectError(await revokeKey(a.agentId, a.keyId, basic(a.agentId, a.apiKey)), 401, 'UNAUTHORIZED');
    expectStatus(await whoami(b.token), 200);
    expectStatus(await whoami(a.token), 200);
  });
});

describe('deleteAgent', () => {
  contract('inferred', 'gone after delete: the recovery key, every API key and every token are 401; no profile, not in the directory', async () => {
    const a = await contractActor();
    const other = await secondKey(a);
    expectStatus(await call('deleteAgent', { path: { agent_id: a.agentId }, auth: recovery(a) }), 204);
    expectError(await call('createApiKey', { path: { agent_id: a.agentId }, auth: recovery(a), body: { name: 'again' } }), 401, 'UNAUTHORIZED');
    expectError(await call('deleteAgent', { path: { agent_id: a.agentId }, auth: recovery(a) }), 401, 'UNAUTHORIZED');
    for (const apiKey of [a.apiKey, other.apiKey]) expectError(await exchange(a.agentId, apiKey), 401, 'UNAUTHORIZED');
    for (const token of [a.token, other.token]) expectError(await whoami(token), 401, 'UNAUTHORIZED');
    expectError(await call('refreshToken', { auth: bearer(other.token) }), 401, 'UNAUTHORIZED');
    expectError(await auditLog(a.agentId, a.token), 401, 'UNAUTHORIZED');
    expectError(await call('getAgentProfile', { path: { agent_id: a.agentId } }), 404, 'NOT_FOUND');
    const dir = expectStatus(await call('listDirectory', { query: { q: a.agentName } }), 200).body as { agents: { agent_id: string }[] };
    expect(dir.agents.map((p) => p.agent_id)).not.toContain(a.agentId);
  });

  contract('inferred', "another agent's recovery key is 403, a wrong one or a Bearer token 401, a malformed id 400; nobody is deleted", async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    expectError(await call('deleteAgent', { path: { agent_id: b.agentId }, auth: recovery(a) }), 403, 'FORBIDDEN');
    expectError(await call('deleteAgent', { path: { agent_id: a.agentId }, auth: basic(a.agentId, 'rk_wrongwrongwrongwr') }), 401, 'UNAUTHORIZED');
    expectError(await call('deleteAgent', { path: { agent_id: a.agentId }, auth: bearer(a.token) }), 401, 'UNAUTHORIZED');
    expectError(await call('deleteAgent', { path: { agent_id: 'agt_x' }, auth: recovery(a) }), 400, 'INVALID_AGENT_ID');
    expectStatus(await whoami(a.token), 200);
    expectStatus(await whoami(b.token), 200);
  });

  contract('inferred', 'the deleted agent leaves its groups, its messages stay; its DMs refuse new messages (403) and the DM shortcut to it is 404', async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    const dm = expectStatus(await call('sendMessage', { auth: bearer(b.token), body: { recipient_agent_id: a.agentId, content: 'hi' } }), 201, 200).body as { conversation_id: string };
    const group = expectStatus(await call('createConversation', { auth: bearer(a.token), body: { type: 'group', name: 'contract', members: [b.agentId] } }), 201, 200).body as { conversation_id: string };
    const said = expectStatus(await call('sendMessage', { auth: bearer(a.token), body: { conversation_id: group.conversation_id, content: 'before I go' } }), 201, 200).body as { message_id: string };
    expectStatus(await call('deleteAgent', { path: { agent_id: a.agentId }, auth: recovery(a) }), 204);

    expectStatus(await call('sendMessage', { auth: bearer(b.token), body: { conversation_id: group.conversation_id, content: 'bye' } }), 201, 200);
    const history = expectStatus(await call('listMessages', { path: { conversation_id: group.conversation_id }, auth: bearer(b.token) }), 200);
    const kept = (history.body as { messages: { message_id: string; sender_id: string }[] }).messages.find((m) => m.message_id === said.message_id);
    expect(kept?.sender_id).toBe(a.agentId);
    expectError(await call('sendMessage', { auth: bearer(b.token), body: { conversation_id: dm.conversation_id, content: 'are you there?' } }), 403, 'FORBIDDEN');
    expectError(await call('sendMessage', { auth: bearer(b.token), body: { recipient_agent_id: a.agentId, content: 'hello?' } }), 404, 'NOT_FOUND');
  });
});

describe('listAuditLog', () => {
  contract('inferred', 'records the account events oldest first, keys by key_id, never a secret; Shape A pages walk them exactly once', async () => {
    const a = await contractActor();
    const refreshed = (expectStatus(await call('refreshToken', { auth: bearer(a.token) }), 200).body as { access_token: string }).access_token;
    expectStatus(await call('updateAgentProfile', { path: { agent_id: a.agentId }, auth: bearer(refreshed), body: { intro: 'contract' } }), 200);
    const ex = expectStatus(await auditLog(a.agentId, refreshed, { limit: 100 }), 200);
    const page = ex.body as EventPage;
    expect(page.events.map((e) => e.type)).toEqual(['agent.registered', 'key.created', 'token.issued', 'token.refreshed', 'profile.updated']);
    expect(page.events.map((e) => e.key_id)).toEqual([null, a.keyId, a.keyId, a.keyId, a.keyId]);
    expect(page).toMatchObject({ has_more: false, next_cursor: null });
    for (const secret of [a.recoveryKey, a.apiKey, a.token, refreshed]) expect(ex.text.includes(secret), 'a secret in the audit log').toBe(false);

    const walked: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 5; i++) {
      const next = expectStatus(await auditLog(a.agentId, refreshed, cursor ? { limit: 2, cursor } : { limit: 2 }), 200).body as EventPage;
      expect(next.events.length).toBeLessThanOrEqual(2);
      walked.push(...next.events.map((e) => e.event_id));
      expect(next.has_more).toBe(next.next_cursor !== null);
      if (!next.has_more) break;
      cursor = next.next_cursor ?? undefined;
    }
    expect(walked).toEqual(page.events.map((e) => e.event_id));
  });

  contract('inferred', "another agent's log is 403; no token or Basic is 401; a malformed id, a bad limit or a forged cursor is 400", async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    expectError(await auditLog(b.agentId, a.token), 403, 'FORBIDDEN');
    expectError(await call('listAuditLog', { path: { agent_id: a.agentId } }), 401, 'UNAUTHORIZED');
    expectError(await call('listAuditLog', { path: { agent_id: a.agentId }, auth: recovery(a) }), 401, 'UNAUTHORIZED');
    expectError(await auditLog('agt_1', a.token), 400, 'INVALID_AGENT_ID');
    expectError(await auditLog(a.agentId, a.token, { limit: 0 }), 400, 'INVALID_REQUEST');
    expectError(await auditLog(a.agentId, a.token, { cursor: 'eyJhZnRlciI6MTB9.AAAAAAAAAAAAAAAA' }), 400, 'INVALID_REQUEST');
  });
});
