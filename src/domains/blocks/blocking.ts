// Blocking, shared by the handler and the seeder (docs, blocks): `group` blocks a conversation the caller
// belongs to; anything else is an agent block of an existing agent other than oneself; once per target.
// And what a block forbids, for every path that puts something of one agent in front of another (docs,
// chat: no posting into a conversation one has blocked, nor when any member blocked the sender): sending,
// renaming a group, making a group or a 1:1 conversation with someone, adding someone to a group.
import { conflict, forbidden, invalidTarget } from '../../errors.ts';
import type { Conversation } from '../conversations/store.ts';
import type { World } from '../world.ts';

export const targetTypeOf = (type: string | undefined): 'group' | 'agent' => (type === 'group' ? 'group' : 'agent');

export function block(world: World, owner: string, targetType: 'group' | 'agent', targetId: string) {
  const { conversations, agents, blocks } = world.stores;
  if (targetType === 'group') {
    if (!conversations.isMember(targetId, owner)) throw invalidTarget('target_id is not a conversation you belong to');
  } else {
    if (targetId === owner) throw invalidTarget('you cannot block yourself');
    if (!agents.get(targetId)) throw invalidTarget('target_id is not an existing agent');
  }
  if (blocks.find(owner, targetType, targetId)) throw conflict('target already blocked');
  return blocks.add(owner, targetType, targetId);
}

/** `me` may put something in front of a conversation's members (a message, a new name). */
export function assertNotBlockedIn(world: World, me: string, conversation: Conversation) {
  const { blocks } = world.stores;
  if (blocks.blocksGroup(me, conversation.conversation_id)) throw forbidden('you have blocked this conversation');
  if (conversation.type === 'direct') {
    const other = conversation.members.find((m) => m !== me);
    if (other && blocks.blocksAgent(me, other)) throw forbidden('you have blocked this agent');
  }
  if (conversation.members.some((m) => m !== me && blocks.blocksAgent(m, me))) throw forbidden('a member of this conversation has blocked you');
}

/** `me` may bring `other` into a conversation with it (a new group, the pair's 1:1 conversation). */
export function assertMayReach(world: World, me: string, other: string, direct: boolean) {
  const { blocks } = world.stores;
  if (blocks.blocksAgent(other, me)) throw forbidden(`agent ${other} has blocked you`);
  if (direct && blocks.blocksAgent(me, other)) throw forbidden('you have blocked this agent');
}

/** `agentId` may be added to a group: it has not blocked the adder, nor this group. */
export function assertMayAdd(world: World, me: string, agentId: string, conversationId: string) {
  const { blocks } = world.stores;
  if (blocks.blocksAgent(agentId, me)) throw forbidden(`agent ${agentId} has blocked you`);
  if (blocks.blocksGroup(agentId, conversationId)) throw forbidden(`agent ${agentId} has blocked this conversation`);
}
