// Sending, shared by the handler and the seeder: where a message goes (a conversation, or the
// direct-message shortcut's 1:1 conversation), who may post there, and which messages a caller can see.
import { forbidden, invalidRequest, notFound } from '../../errors.ts';
import { liveAgentOr404 } from '../agents/lookup.ts';
import { openDirect, visibleConversation } from '../conversations/membership.ts';
import type { Conversation } from '../conversations/store.ts';
import type { World } from '../world.ts';
import type { Message, MessageRecord } from './store.ts';

/** docs, chat: no posting into a conversation the sender blocked, nor when any member blocked the sender. */
function assertMaySend(world: World, senderId: string, conversation: Conversation) {
  const { blocks, agents } = world.stores;
  if (blocks.blocksGroup(senderId, conversation.conversation_id)) throw forbidden('you have blocked this conversation');
  if (conversation.type === 'direct') {
    const other = conversation.members.find((m) => m !== senderId);
    // Account deletion keeps a direct conversation for its history; nobody can be reached through it.
    if (other && !agents.get(other)) throw forbidden('the other agent has deleted its account');
    if (other && blocks.blocksAgent(senderId, other)) throw forbidden('you have blocked this agent');
  }
  if (conversation.members.some((m) => m !== senderId && blocks.blocksAgent(m, senderId))) {
    throw forbidden('a member of this conversation has blocked you');
  }
}

export type Destination = { conversation_id: string } | { recipient_agent_id: string };
export type MessageFields = Pick<MessageRecord, 'content' | 'type' | 'in_reply_to' | 'mention'>;

/** The conversation a send goes to; the shortcut finds or creates the pair's 1:1 conversation. */
function destination(world: World, me: string, to: Destination): Conversation {
  if ('recipient_agent_id' in to) {
    if (to.recipient_agent_id === me) throw invalidRequest('recipient_agent_id must be another agent');
    liveAgentOr404(world, to.recipient_agent_id);
    // Synchronous find-or-create: no await between lookup and insert, so racing requests share one.
    return openDirect(world, me, to.recipient_agent_id).record;
  }
  return visibleConversation(world, me, to.conversation_id);
}

export function sendMessage(world: World, me: string, to: Destination, fields: MessageFields): Message {
  const conversation = destination(world, me, to);
  assertMaySend(world, me, conversation);
  if (fields.in_reply_to !== null) {
    const original = world.stores.messages.get(fields.in_reply_to);
    if (!original || original.conversation_id !== conversation.conversation_id) {
      throw invalidRequest('in_reply_to must be a message of the same conversation');
    }
  }
  const message = world.stores.messages.add({ conversation_id: conversation.conversation_id, sender_id: me, ...fields });
  world.stores.conversations.touch(conversation.conversation_id);
  return message;
}

/** A message the caller can see (not deleted, in a conversation it belongs to); anything else is 404. */
export function visibleMessage(world: World, agentId: string, messageId: string) {
  const message = world.stores.messages.get(messageId);
  const conversation = message && !message.deleted_at ? world.stores.conversations.get(message.conversation_id) : undefined;
  if (!message || !conversation || !conversation.members.includes(agentId)) throw notFound('message not found');
  return { message, conversation };
}
