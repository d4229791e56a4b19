// getAgentProfile, updateAgentProfile, setPresence, listDirectory (all inferred): the public profile, who
// may change it, presence and its scope, and the public directory's search and pagination. A live
// directory holds everyone, so searches are narrowed to this run's unique agent names.
import { describe, expect } from 'vitest';
import { bearer, CONTRACT_PREFIX, contractActor, uniqueName } from './lib/actors.ts';
import { call, useContractTarget } from './lib/call.ts';
import { expectError, expectStatus } from './lib/checks.ts';
import { contract } from './lib/contract.ts';

useContractTarget();

interface Profile { agent_id: string; agent_name: string; intro: string | null; status: string | null; presence: string }
interface DirectoryPage { agents: Profile[]; has_more: boolean; next_cursor: string | null }

const profile = async (agentId: string) => expectStatus(await call('getAgentProfile', { path: { agent_id: agentId } }), 200).body as Profile;
const update = (agentId: string, token: string, body: unknown) => call('updateAgentProfile', { path: { agent_id: agentId }, auth: bearer(token), body });
const presence = (agentId: string, token: string | undefined, body: unknown) =>
  call('setPresence', { path: { agent_id: agentId }, auth: token ? bearer(token) : undefined, body });
const directory = async (query: Record<string, string | number>) => expectStatus(await call('listDirectory', { query }), 200).body as DirectoryPage;
const register = async (agentName = uniqueName(CONTRACT_PREFIX)) =>
  (expectStatus(await call('registerAgent', { body: { agent_name: agentName } }), 201, 200).body as { agent_id: string }).agent_id;

describe('getAgentProfile', () => {
  contract('inferred', 'public: name, description, no intro or status yet, presence offline, never the email; unknown 404, malformed 400', async () => {
    const email = 'contract-profile@example.com';
    const body = { agent_name: uniqueName(CONTRACT_PREFIX), email, metadata: { description: 'Fluxra contract suite', owner: 'contract' } };
    const { agent_id: agentId } = expectStatus(await call('registerAgent', { body }), 201, 200).body as { agent_id: string };
    const ex = expectStatus(await call('getAgentProfile', { path: { agent_id: agentId } }), 200);
    expect(ex.body).toMatchObject({ agent_id: agentId, agent_name: body.agent_name, description: 'Fluxra contract suite', intro: null, status: null, presence: 'offline' });
    expect(ex.text.includes(email), 'the email in a public profile').toBe(false);
    expectError(await call('getAgentProfile', { path: { agent_id: 'agt_00000000000000000000000000000000' } }), 404, 'NOT_FOUND');
    expectError(await call('getAgentProfile', { path: { agent_id: 'agt_bad' } }), 400, 'INVALID_AGENT_ID');
  });
});

describe('updateAgentProfile', () => {
  contract('inferred', 'sets intro and status, merges later changes, null clears one; the public profile shows it', async () => {
    const a = await contractActor();
    const set = expectStatus(await update(a.agentId, a.token, { intro: 'AI Agent', status: 'active' }), 200).body as Profile;
    expect(set).toMatchObject({ agent_id: a.agentId, intro: 'AI Agent', status: 'active' });
    expect(expectStatus(await update(a.agentId, a.token, { status: 'busy' }), 200).body).toMatchObject({ intro: 'AI Agent', status: 'busy' });
    const cleared = expectStatus(await update(a.agentId, a.token, { intro: null }), 200).body as Profile;
    expect(cleared).toMatchObject({ intro: null, status: 'busy' });
    expect(await profile(a.agentId)).toMatchObject({ agent_id: a.agentId, intro: cleared.intro, status: cleared.status });
  });

  contract('inferred', "another agent's profile is 403 (unchanged), no token 401; an empty body, unknown field or too-long value 400", async () => {
    const [a, b] = await Promise.all([contractActor(), contractActor()]);
    expectError(await update(b.agentId, a.token, { intro: 'hijacked' }), 403, 'FORBIDDEN');
    expect((await profile(b.agentId)).intro).toBeNull();
    expectError(await call('updateAgentProfile', { path: { agent_id: a.agentId }, body: { intro: 'x' } }), 401, 'UNAUTHORIZED');
    for (const body of [{}, { presence: 'online' }, { intro: 'x'.repeat(501) }, { status: 's'.repeat(51) }]) {
      expectError(await update(a.agentId, a.token, body), 400, 'INVALID_REQUEST');
    }
    expectError(await update('agt_bad', a.token, { intro: 'x' }), 400, 'INVALID_AGENT_ID');
  });
});

describe('setPresence', () => {
  contract('inferred', 'sets presence with presence:update; the profile and the directory show it', async () => {
    const a = await contractActor();
    expect(expectStatus(await presence(a.agentId, a.token, { presence: 'online' }), 200).body).toMatchObject({ agent_id: a.agentId, presence: 'online' });
    expect((await profile(a.agentId)).presence).toBe('online');
    expectStatus(await presence(a.agentId, a.token, { presence: 'away' }), 200);
    const listed = (await directory({ q: a.agentName })).agents.find((p) => p.agent_id === a.agentId);
    expect(listed?.presence).toBe('away');
  });

  contract('inferred', "without presence:update or for another agent 403 (unchanged); a bad value or malformed id 400; no token 401", async () => {
    const [a, b] = await Promise.all([contractActor({ scopes: ['messages:read', 'messages:write', 'conversations:read'] }), contractActor()]);
    expectError(await presence(a.agentId, a.token, { presence: 'online' }), 403, 'FORBIDDEN');
    expectError(await presence(a.agentId, b.token, { presence: 'online' }), 403, 'FORBIDDEN');
    expect((await profile(a.agentId)).presence).toBe('offline');
    expectError(await presence(b.agentId, b.token, { presence: 'busy' }), 400, 'INVALID_REQUEST');
    expectError(await presence('agt_bad', b.token, { presence: 'online' }), 400, 'INVALID_AGENT_ID');
    expectError(await presence(b.agentId, undefined, { presence: 'away' }), 401, 'UNAUTHORIZED');
  });
});

describe('listDirectory', () => {
  contract('inferred', 'public; q matches agent_name or intro case-insensitively, in registration order', async () => {
    const first = uniqueName(CONTRACT_PREFIX);
    const firstId = await register(first);
    const b = await contractActor();
    expectStatus(await update(b.agentId, b.token, { intro: `works with ${first}` }), 200);
    expect((await directory({ q: first.toUpperCase() })).agents.map((p) => p.agent_id)).toEqual([firstId, b.agentId]);
    expect((await directory({ q: b.agentName })).agents.map((p) => p.agent_id)).toEqual([b.agentId]);
  });

  contract('inferred', 'Shape A pages walk the matches once in registration order; a cursor of another q, a forged cursor or a bad limit is 400', async () => {
    const prefix = uniqueName(CONTRACT_PREFIX);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await register(`${prefix}-${i}`));
    const seen: string[] = [];
    let cursor: string | undefined;
    let firstCursor: string | undefined;
    for (let i = 0; i < 5; i++) {
      const page = await directory(cursor ? { q: prefix, limit: 1, cursor } : { q: prefix, limit: 1 });
      expect(page.agents.length).toBeLessThanOrEqual(1);
      expect(page.has_more).toBe(page.next_cursor !== null);
      seen.push(...page.agents.map((p) => p.agent_id));
      if (!page.has_more) break;
      cursor = page.next_cursor ?? undefined;
      firstCursor ??= cursor;
    }
    expect(seen).toEqual(ids);
    expect(firstCursor).toEqual(expect.any(String));
    const bad = (query: Record<string, string | number>) => call('listDirectory', { query });
    expectError(await bad({ q: `${prefix}-1`, cursor: firstCursor! }), 400, 'INVALID_REQUEST');
    expectError(await bad({ q: prefix, cursor: `${firstCursor!.split('.')[0]}.AAAAAAAAAAAAAAAA` }), 400, 'INVALID_REQUEST');
    expectError(await bad({ limit: 0 }), 400, 'INVALID_REQUEST');
    expectError(await bad({ limit: 101 }), 400, 'INVALID_REQUEST');
  });
});
