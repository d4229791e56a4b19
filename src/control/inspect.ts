// A readable view of one tenant for the dashboard and for debugging: agents (no secrets or hashes:
// only the API views' fields), conversations with their messages, blocks. It reads through the stores,
// so it shows what the API would show an insider, never a credential.
import type { Tenant } from '../tenant/tenant.ts';

export function inspectTenant(tenant: Tenant) {
  const iso = (d: Date | number | null | undefined) => (d ? tenant.clock.iso(d) : null);
  const { agents, conversations, messages, blocks } = tenant.stores;
  return {
    tenant: tenant.id,
    clock: tenant.clock.state(),
    agents: agents.all().map((a) => ({
      agent_id: a.agent_id,
      agent_name: a.agent_name,
      email: a.email,
      email_verified: a.email_verified,
      created_at: iso(a.created_at),
      deleted_at: iso(a.deleted_at),
      keys: agents.keysOf(a.agent_id).map((k) => ({ key_id: k.key_id, name: k.name, scopes: [...k.scopes], expires_at: iso(k.expires_at), revoked_at: iso(k.revoked_at), last_used_at: iso(k.last_used_at) })),
    })),
    conversations: conversations.all().map((c) => ({
      conversation_id: c.conversation_id,
      type: c.type,
      name: c.name,
      members: [...c.members],
      last_activity_at: iso(c.last_activity_at),
      messages: messages.inConversation(c.conversation_id).map((m) => ({
        message_id: m.message_id,
        sender_id: m.sender_id,
        content: m.content,
        created_at: iso(m.created_at),
        edited_at: iso(m.edited_at),
        deleted_at: iso(m.deleted_at),
      })),
    })),
    blocks: blocks.all().map((b) => ({ block_id: b.block_id, owner_id: b.owner_id, target_type: b.target_type, target_id: b.target_id, created_at: iso(b.created_at) })),
  };
}
