// Sending, shared by the handler and the seeder: where a message goes (a conversation, or the
// direct-message shortcut's 1:1 conversation), who may post there, and which messages a caller can see.
import { forbidden, invalidRequest, limitReached, notFound } from '../../errors.ts';
import { liveAgentOr404 } from '../agents/lookup.ts';
import { assertNotBlockedIn } from '../blocks/blocking.ts';
import { openDirect, visibleConversation } from '../conversations/membership.ts';
import type { Conversation } from '../conversations/store.ts';
import type { World } from '../world.ts';
import type { Message, MessageRecord } from './store.ts';

/** docs, chat: no posting into a conversation the sender blocked, nor when any member blocked the sender. */
function assertMaySend(world: World, senderId: string, conversation: Conversation) {
  if (conversation.type === 'direct') {
    const other = conversation.members.find((m) => m !== senderId);
    // Account deletion keeps a direct conversation for its history; nobody can be reached through it.
    if (other && !world.stores.agents.get(other)) throw forbidden('the other agent has deleted its account');
  }
  assertNotBlockedIn(world, senderId, conversation);
}

/** The documented message types (openapi.yaml MessageType), each kept as one string. */
const MESSAGE_TYPES = new Map<string, MessageRecord['type']>((['text', 'command', 'system'] as const).map((t) => [t, t]));

export type Destination = { conversation_id: string } | { recipient_agent_id: string };
export type MessageFields = Pick<MessageRecord, 'content' | 'type' | 'in_reply_to' | 'mention'>;

/** The conversation a send goes to; the shortcut finds or creates the pair's 1:1 conversation. */
function destination(world: World, me: string, to: Destination): Conversation {
  if ('recipient_agent_id' in to) {
    if (to.recipient_agent_id === me) throw invalidRequest('recipient_agent_id must be another agent');
    liveAgentOr404(world, to.recipient_agent_id);
    // Synchronous find-or-create: no await between lookup and insert, so racing requests share one. A
    // block between the pair refuses it before anything is made (no conversation, no join event).
    return openDirect(world, me, to.recipient_agent_id).record;
  }
  return visibleConversation(world, me, to.conversation_id);
}

export function sendMessage(world: World, me: string, to: Destination, fields: MessageFields): Message {
  const conversation = destination(world, me, to);
  assertMaySend(world, me, conversation);
  // A mention points a member at the message; anyone else would be told of a conversation they cannot see.
  const outsider = fields.mention.find((m) => !conversation.members.includes(m));
  if (outsider !== undefined) throw invalidRequest(`mention must name members of the conversation; ${outsider} is not one`);
  const { maxMessages } = world.limits;
  if (world.stores.messages.countIn(conversation.conversation_id) >= maxMessages) throw limitReached('messages per conversation (deleted ones count)', maxMessages);
  let replyTo: string | null = null;
  if (fields.in_reply_to !== null) {
    const original = world.stores.messages.get(fields.in_reply_to);
    if (!original || original.conversation_id !== conversation.conversation_id) {
      throw invalidRequest('in_reply_to must be a message of the same conversation');
    }
    replyTo = original.message_id;
  }
  // The record shares its strings with what it names (the conversation's id, the agent's own agent_id,
  // the original message's id) instead of keeping the copies the request body and token were parsed into.
  const message = world.stores.messages.add({
    conversation_id: conversation.conversation_id,
    sender_id: world.stores.agents.get(me)?.agent_id ?? me,
    content: fields.content,
    type: MESSAGE_TYPES.get(fields.type) ?? fields.type,
    in_reply_to: replyTo,
    mention: fields.mention.map((m) => conversation.members.find((member) => member === m) ?? m),
  });
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
