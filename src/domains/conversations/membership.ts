// Membership rules that span stores, shared by the handlers and the seeder: who sees a conversation,
// making groups and the 1:1 conversation of a pair, joining and leaving, renaming. Who may do what
// (inferred, openapi.yaml: addConversationMembers, removeConversationMember, leaveConversation): any
// member adds; only the creator removes others; everyone may leave a group; a direct conversation keeps
// its pair. Blocks (src/domains/blocks/blocking.ts) are checked before anything is made, so a refused
// request leaves no conversation, membership or sync event behind; the caps (src/defaults.ts) likewise.
import { conflict, forbidden, limitReached, notFound } from '../../errors.ts';
import { liveAgentOr404 } from '../agents/lookup.ts';
import { assertMayAdd, assertMayReach, assertNotBlockedIn } from '../blocks/blocking.ts';
import type { World } from '../world.ts';
import type { Conversation } from './store.ts';

/** A conversation the caller belongs to; anything else is "not visible" (openapi.yaml: 404 NOT_FOUND). */
export function visibleConversation(world: World, agentId: string, conversationId: string): Conversation {
  const conversation = world.stores.conversations.get(conversationId);
  if (!conversation || !conversation.members.includes(agentId)) throw notFound('conversation not found');
  return conversation;
}

/**
 * Joins agents at the current end of the global sequence: their unread counts and sync feeds start
 * there (a late joiner still reads the whole history through listMessages).
 */
function joinConversation(world: World, conversationId: string, agentIds: readonly string[]) {
  for (const agentId of agentIds) world.stores.conversations.recordJoin(conversationId, agentId);
}

export function leaveConversation(world: World, conversationId: string, agentId: string) {
  world.stores.conversations.recordLeave(conversationId, agentId);
}

function assertRoomForConversation(world: World) {
  const { maxConversations } = world.limits;
  if (world.stores.conversations.count() >= maxConversations) throw limitReached('conversations per tenant', maxConversations);
}

function assertRoomForMembers(world: World, members: number) {
  const { maxMembers } = world.limits;
  if (members > maxMembers) throw limitReached('members per conversation', maxMembers);
}

/** A group of the creator and the other (live) members, every one of them joined; none may have blocked the creator. */
export function createGroup(world: World, creator: string, others: readonly string[], name: string | null): Conversation {
  const members = new Set([creator, ...others]);
  assertRoomForConversation(world);
  assertRoomForMembers(world, members.size);
  for (const other of members) if (other !== creator) assertMayReach(world, creator, other, false);
  const group = world.stores.conversations.createGroup(creator, [...others], name);
  joinConversation(world, group.conversation_id, group.members);
  return group;
}

/** The pair's one 1:1 conversation, made (and joined by both) on first use, unless a block between them forbids it. */
export function openDirect(world: World, me: string, other: string) {
  if (!world.stores.conversations.findDirect(me, other)) {
    assertMayReach(world, me, other, true);
    assertRoomForConversation(world);
  }
  // Synchronous from the check to the insert: racing requests of the pair share one conversation.
  const found = world.stores.conversations.findOrCreateDirect(me, other);
  if (found.created) joinConversation(world, found.record.conversation_id, found.record.members);
  return found;
}

function assertGroup(conversation: Conversation) {
  if (conversation.type === 'direct') throw forbidden('a direct conversation keeps exactly its two members');
}

/**
 * All or nothing: every agent must exist, not be a member yet, and have blocked neither the adder nor
 * the group (someone who blocked a group and left it cannot be put back).
 */
export function addMembers(world: World, me: string, conversation: Conversation, wanted: readonly string[]) {
  assertGroup(conversation);
  const unique = [...new Set(wanted)];
  for (const agentId of unique) {
    liveAgentOr404(world, agentId);
    if (conversation.members.includes(agentId)) throw conflict(`agent ${agentId} is already a member`);
    // Adding someone to a group puts the adder's messages in front of them: a block forbids it.
    assertMayAdd(world, me, agentId, conversation.conversation_id);
  }
  assertRoomForMembers(world, conversation.members.length + unique.length);
  joinConversation(world, conversation.conversation_id, unique);
}

/** A new name is shown to every member: the same blocks that forbid sending forbid it. */
export function renameGroup(world: World, me: string, conversation: Conversation, name: string | null): Conversation {
  // A direct conversation is defined by its pair: nothing about it is a setting.
  if (conversation.type === 'direct') throw forbidden('a direct conversation has no settings to change');
  assertNotBlockedIn(world, me, conversation);
  return world.stores.conversations.rename(conversation.conversation_id, name);
}

/** Removing oneself is leaving; removing someone else is for the group's creator only. */
export function removeMember(world: World, me: string, conversation: Conversation, target: string) {
  assertGroup(conversation);
  if (!conversation.members.includes(target)) throw notFound(`agent ${target} is not a member of this conversation`);
  if (target !== me && conversation.created_by !== me) throw forbidden('only the creator of the group may remove other members');
  leaveConversation(world, conversation.conversation_id, target);
}

export function leave(world: World, me: string, conversation: Conversation) {
  assertGroup(conversation);
  leaveConversation(world, conversation.conversation_id, me);
}
