// Declarative seeding: agents with known secrets and keys, conversations with members and messages,
// blocks. Everything is checked before anything is written, so a rejected seed leaves the tenant as it
// was. Then every record is made by the same domain services the API's handlers call (registration,
// key creation, groups, the 1:1 conversation, sending, blocking), with the known ids and secrets the seed
// asks for passed in: a seed can only make a state the API could make.
import { createApiKey, registerAgent } from '../domains/agents/account.ts';
import { DEFAULT_SCOPES } from '../domains/agents/store.ts';
import { block, targetTypeOf } from '../domains/blocks/blocking.ts';
import { createGroup, openDirect } from '../domains/conversations/membership.ts';
import { sendMessage } from '../domains/messages/sending.ts';
import { conflict, invalidRequest } from '../errors.ts';
import type { Tenant } from '../tenant/tenant.ts';

export interface SeedKey { ref?: string; name?: string; api_key?: string; scopes?: string[]; expires_in_days?: number; token?: boolean }
export interface SeedAgent {
  ref?: string; agent_id?: string; agent_name: string; email?: string; email_verified?: boolean;
  metadata?: Record<string, unknown>; recovery_key?: string; keys?: SeedKey[];
}
export interface SeedMessage { from: string; content: string; type?: 'text' | 'command' | 'system' }
export interface SeedConversation { ref?: string; type?: 'group' | 'direct'; name?: string; created_by: string; members?: string[]; messages?: SeedMessage[] }
export interface SeedBlock { owner: string; target_type?: 'agent' | 'group'; target: string }
export interface Seed { agents?: SeedAgent[]; conversations?: SeedConversation[]; blocks?: SeedBlock[] }

/** GNU base64 wraps at 76 characters, i.e. 57 input bytes: the Quickstart's recipe needs agent_id:secret to fit. */
const BASIC_LINE_BYTES = 57;
const AGENT_ID = /^agt_[0-9a-f]{32}$/;
const SECRET_CHARS = /^[A-Za-z0-9_-]+$/;

function checkSecret(kind: 'recovery_key' | 'api_key', prefix: string, secret: string, where: string) {
  if (!secret.startsWith(prefix) || !SECRET_CHARS.test(secret)) {
    throw invalidRequest(`${where}: ${kind} must start with "${prefix}" and use only letters, digits, "_" and "-"`);
  }
  const bytes = Buffer.byteLength(`agt_${'0'.repeat(32)}:${secret}`);
  if (bytes > BASIC_LINE_BYTES) {
    throw invalidRequest(
      `${where}: ${kind} "${secret}" is too long: agent_id:${kind} would be ${bytes} bytes, over the ${BASIC_LINE_BYTES}-byte limit ` +
        `(one line of GNU base64, as the Quickstart's printf | base64 recipe needs); use at most ${BASIC_LINE_BYTES - 37} characters`,
    );
  }
}

export async function applySeed(tenant: Tenant, seed: Seed) {
  const agents = seed.agents ?? [];
  const conversations = seed.conversations ?? [];
  const blocks = seed.blocks ?? [];
  const store = tenant.stores;

  // ---- check everything first ----
  const agentRefs = new Map<string, number>();
  const seededIds = new Set<string>();
  agents.forEach((a, i) => {
    const where = `agents[${i}]`;
    const ref = a.ref ?? a.agent_name;
    if (agentRefs.has(ref)) throw invalidRequest(`${where}: duplicate ref "${ref}" (refs default to agent_name; give each agent a ref)`);
    agentRefs.set(ref, i);
    if (a.agent_id !== undefined) {
      if (!AGENT_ID.test(a.agent_id)) throw invalidRequest(`${where}: agent_id must match ${AGENT_ID.source}`);
      if (store.agents.exists(a.agent_id) || seededIds.has(a.agent_id)) throw conflict(`${where}: agent ${a.agent_id} already exists`);
      seededIds.add(a.agent_id);
    }
    if (a.recovery_key !== undefined) checkSecret('recovery_key', 'rk_', a.recovery_key, where);
    (a.keys ?? []).forEach((k, j) => {
      if (k.api_key !== undefined) checkSecret('api_key', 'sk_', k.api_key, `${where}.keys[${j}]`);
    });
  });
  const isAgent = (ref: string) => agentRefs.has(ref) || Boolean(store.agents.get(ref));
  const convRefs = new Set<string>();
  conversations.forEach((c, i) => {
    const where = `conversations[${i}]`;
    if (c.ref !== undefined) {
      if (convRefs.has(c.ref)) throw invalidRequest(`${where}: duplicate ref "${c.ref}"`);
      convRefs.add(c.ref);
    }
    const members = new Set([c.created_by, ...(c.members ?? [])]);
    for (const m of members) if (!isAgent(m)) throw invalidRequest(`${where}: "${m}" is neither an agent ref of this seed nor an existing agent_id`);
    if ((c.type ?? 'group') === 'direct' && members.size !== 2) throw invalidRequest(`${where}: a direct conversation has exactly two members`);
    (c.messages ?? []).forEach((m, j) => {
      if (!members.has(m.from)) throw invalidRequest(`${where}.messages[${j}]: sender "${m.from}" is not a member`);
    });
  });
  const isConversation = (ref: string) => convRefs.has(ref) || Boolean(store.conversations.get(ref));
  blocks.forEach((b, i) => {
    if (!isAgent(b.owner)) throw invalidRequest(`blocks[${i}]: owner "${b.owner}" is not an agent`);
    const group = b.target_type === 'group';
    if (group ? !isConversation(b.target) : !isAgent(b.target)) throw invalidRequest(`blocks[${i}]: target "${b.target}" is not ${group ? 'a conversation' : 'an agent'}`);
    if (!group && b.target === b.owner) throw invalidRequest(`blocks[${i}]: an agent cannot block itself`);
  });

  // ---- then write ----
  const agentIdOf = new Map<string, string>();
  const resolveAgent = (ref: string) => agentIdOf.get(ref) ?? ref;
  const agentsOut: Record<string, unknown> = {};
  for (const a of agents) {
    const ref = a.ref ?? a.agent_name;
    const { agent, recoveryKey } = registerAgent(tenant, {
      agent_name: a.agent_name, email: a.email, metadata: a.metadata, agent_id: a.agent_id, recovery_key: a.recovery_key, email_verified: a.email_verified,
    });
    const code = agent.email && !agent.email_verified ? store.outbox.last(agent.agent_id)?.code : undefined;
    agentIdOf.set(ref, agent.agent_id);
    const keys = [];
    for (const k of a.keys ?? []) {
      const { key, apiKey } = createApiKey(tenant, agent.agent_id, { name: k.name ?? 'seed', scopes: k.scopes ?? DEFAULT_SCOPES, expires_in_days: k.expires_in_days, api_key: k.api_key });
      const out: Record<string, unknown> = { ref: k.ref ?? k.name ?? 'seed', key_id: key.key_id, api_key: apiKey, scopes: [...key.scopes] };
      if (k.token) {
        const { token, claims } = await tenant.tokens.issue(agent.agent_id, key.key_id, [...key.scopes]);
        out.access_token = token;
        out.expires_at = tenant.clock.iso(new Date(claims.exp * 1000));
      }
      keys.push(out);
    }
    agentsOut[ref] = { agent_id: agent.agent_id, agent_name: agent.agent_name, recovery_key: recoveryKey, keys, ...(code ? { verification_code: code } : {}) };
  }

  const convIdOf = new Map<string, string>();
  const conversationsOut: Record<string, unknown> = {};
  conversations.forEach((c, i) => {
    const creator = resolveAgent(c.created_by);
    const others = [...new Set((c.members ?? []).map(resolveAgent))].filter((m) => m !== creator);
    const record = (c.type ?? 'group') === 'direct' ? openDirect(tenant, creator, others[0]).record : createGroup(tenant, creator, others, c.name ?? null);
    const messageIds = (c.messages ?? []).map(
      (m) => sendMessage(tenant, resolveAgent(m.from), { conversation_id: record.conversation_id }, { content: m.content, type: m.type ?? 'text', in_reply_to: null, mention: [] }).message_id,
    );
    const ref = c.ref ?? c.name ?? `conversation-${i}`;
    if (c.ref) convIdOf.set(c.ref, record.conversation_id);
    conversationsOut[ref] = { conversation_id: record.conversation_id, type: record.type, members: [...record.members], message_ids: messageIds };
  });

  const blocksOut = [];
  for (const b of blocks) {
    const owner = resolveAgent(b.owner);
    const type = targetTypeOf(b.target_type);
    const target = type === 'group' ? (convIdOf.get(b.target) ?? b.target) : resolveAgent(b.target);
    // A block the tenant already holds is kept as it is (seeding twice is not an error).
    const record = store.blocks.find(owner, type, target) ?? block(tenant, owner, type, target);
    blocksOut.push({ block_id: record.block_id, owner_id: owner, target_type: type, target_id: target });
  }
  return { tenant: tenant.id, agents: agentsOut, conversations: conversationsOut, blocks: blocksOut };
}
