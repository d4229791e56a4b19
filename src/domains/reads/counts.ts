// What a member has not read yet and what was said last: reads across the conversation and message
// stores, shared by the conversation list, getConversation and the unread counts.
import type { Conversation } from '../conversations/store.ts';
import type { World } from '../world.ts';

/** Others' messages after the member's read marker that are not deleted: own messages never count. */
export function unreadCount(world: World, conversation: Conversation, agentId: string) {
  const { read_seq } = world.stores.conversations.memberState(conversation, agentId);
  return world.stores.messages.unreadAfter(conversation.conversation_id, agentId, read_seq);
}

export const lastMessage = (world: World, conversation: Conversation) => world.stores.messages.last(conversation.conversation_id);
