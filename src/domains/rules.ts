// Rules that span domains (membership and blocks), kept out of the stores so stores never import
// each other (DESIGN 3).
import { forbidden, notFound } from '../http/errors.ts';
import type { ConversationRecord } from './conversations/store.ts';
import type { TenantState } from '../state/tenant.ts';

/** A conversation the caller belongs to; anything else is "not visible" (DESIGN 2): 404. */
export function visibleConversation(state: TenantState, agentId: string, conversationId: string): ConversationRecord {
  const conversation = state.stores.conversations.get(conversationId);
  if (!conversation || !conversation.members.includes(agentId)) throw notFound('conversation not found');
  return conversation;
}

/** docs, chat: no posting into a conversation the sender blocked, nor when any member blocked the sender. */
export function assertMaySend(state: TenantState, senderId: string, conversation: ConversationRecord) {
  const blocks = state.stores.blocks;
  if (blocks.blocksGroup(senderId, conversation.conversation_id)) throw forbidden('you have blocked this conversation');
  if (conversation.type === 'direct') {
    const other = conversation.members.find((m) => m !== senderId);
    // Account deletion keeps a direct conversation for its history; nobody can be reached through it.
    if (other && !state.stores.agents.get(other)) throw forbidden('the other agent has deleted its account');
    if (other && blocks.blocksAgent(senderId, other)) throw forbidden('you have blocked this agent');
  }
  if (conversation.members.some((m) => m !== senderId && blocks.blocksAgent(m, senderId))) {
    throw forbidden('a member of this conversation has blocked you');
  }
}

export function liveAgentOr404(state: TenantState, agentId: string) {
  const agent = state.stores.agents.get(agentId);
  if (!agent) throw notFound(`agent ${agentId} not found`);
  return agent;
}

/**
 * Joins agents to a conversation at the current end of the message sequence: their unread counts and
 * sync feeds start there (a late joiner still reads the whole history through listMessages).
 */
export function joinConversation(state: TenantState, conversation: ConversationRecord, agentIds: string[]) {
  for (const agentId of agentIds) state.stores.conversations.recordJoin(conversation, agentId, state.stores.messages.nextSeq());
}

export function leaveConversation(state: TenantState, conversation: ConversationRecord, agentId: string) {
  state.stores.conversations.recordLeave(conversation, agentId, state.stores.messages.nextSeq());
}

/** A message the caller can see (not deleted, in a conversation it belongs to); anything else is 404. */
export function visibleMessage(state: TenantState, agentId: string, messageId: string) {
  const message = state.stores.messages.get(messageId);
  const conversation = message && !message.deleted_at ? state.stores.conversations.get(message.conversation_id) : undefined;
  if (!message || !conversation || !conversation.members.includes(agentId)) throw notFound('message not found');
  return { message, conversation };
}

/** Others' messages after the member's read marker that are not deleted: own messages never count. */
export function unreadCount(state: TenantState, conversation: ConversationRecord, agentId: string) {
  const { read_seq } = state.stores.conversations.memberState(conversation, agentId);
  return state.stores.messages.unreadAfter(conversation.conversation_id, agentId, read_seq);
}

export function lastMessage(state: TenantState, conversation: ConversationRecord) {
  return state.stores.messages.last(conversation.conversation_id);
}
