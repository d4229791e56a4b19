// Account deletion (inferred operation deleteAgent) spans domains, so it lives here rather than in a store.
// Every credential dies (the agent is marked deleted, its keys revoked, and the Bearer verifier refuses
// tokens of a deleted agent); the agent leaves its group conversations; its blocks go; its messages stay
// with their sender_id. Direct conversations keep both members: the survivor keeps the history and sees
// who it was with; rules.ts refuses new messages into them.
import type { TenantState } from '../../state/tenant.ts';
import { leaveConversation } from '../rules.ts';

export function deleteAccount(state: TenantState, agentId: string) {
  const { agents, conversations, blocks, audit } = state.stores;
  const agent = agents.get(agentId);
  if (!agent) return;
  audit.record(agentId, 'account.deleted');
  agents.markDeleted(agent);
  // Through the same rule as leaving, so membership history (what the sync feed reports) stays whole.
  for (const conversation of conversations.conversations.values()) {
    if (conversation.type === 'group' && conversation.members.includes(agentId)) leaveConversation(state, conversation, agentId);
  }
  for (const block of blocks.ownedBy(agentId)) blocks.remove(block.block_id);
}
