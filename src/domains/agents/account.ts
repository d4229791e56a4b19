// Account operations that span stores, called by the handlers and by the seeder alike (so a seed can
// only make a state the API could make): registration (with its verification email and audit event),
// key creation, and account deletion.
import { leaveConversation } from '../conversations/membership.ts';
import { sendVerificationCode } from '../auth/email-verification.ts';
import { limitReached } from '../../errors.ts';
import type { World } from '../world.ts';
import type { KeyInput, RegisterInput } from './store.ts';

/**
 * Registers an agent; with an email, sends the verification code (docs, quickstart: "verify the email if
 * you supplied one"). `email_verified` (seeding only) stands for a registration whose email was verified.
 */
export function registerAgent(world: World, input: RegisterInput & { email_verified?: boolean }) {
  const { agents, audit } = world.stores;
  if (agents.count() >= world.limits.maxAgents) throw limitReached('agents per tenant (deleted ones count)', world.limits.maxAgents);
  const { record, recoveryKey } = agents.register(input);
  let verificationExpiresAt: Date | null = null;
  if (record.email && input.email_verified) agents.markEmailVerified(record.agent_id);
  else if (record.email) verificationExpiresAt = sendVerificationCode(world, record, record.created_at);
  audit.record(record.agent_id, 'agent.registered', { details: { email_on_file: record.email !== null } });
  return { agent: agents.get(record.agent_id)!, recoveryKey, verificationExpiresAt };
}

export function createApiKey(world: World, agentId: string, input: KeyInput) {
  const { maxKeysPerAgent } = world.limits;
  if (world.stores.agents.keysOf(agentId).length >= maxKeysPerAgent) throw limitReached('API keys per agent (revoked ones count)', maxKeysPerAgent);
  const { record, apiKey } = world.stores.agents.createKey(agentId, input);
  world.stores.audit.record(agentId, 'key.created', {
    key_id: record.key_id,
    details: { name: record.name, scopes: [...record.scopes], expires_at: record.expires_at ? world.clock.iso(record.expires_at) : null },
  });
  return { key: record, apiKey };
}

/**
 * Account deletion (inferred operation deleteAgent). Every credential dies (the agent is marked deleted,
 * its keys revoked, and the Bearer verifier refuses tokens of a deleted agent); the agent leaves its group
 * conversations; its blocks go; its messages stay with their sender_id. Direct conversations keep both
 * members: the survivor keeps the history and sees who it was with; sending refuses new messages.
 */
export function deleteAccount(world: World, agentId: string) {
  const { agents, conversations, blocks, audit } = world.stores;
  if (!agents.get(agentId)) return;
  audit.record(agentId, 'account.deleted');
  agents.markDeleted(agentId);
  // Through the same rule as leaving, so membership history (what the sync feed reports) stays whole.
  for (const conversation of conversations.forMember(agentId)) {
    if (conversation.type === 'group') leaveConversation(world, conversation.conversation_id, agentId);
  }
  for (const block of blocks.ownedBy(agentId)) blocks.remove(block.block_id);
}
