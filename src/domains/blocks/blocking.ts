// Blocking, shared by the handler and the seeder (docs, blocks): `group` blocks a conversation the caller
// belongs to; anything else is an agent block of an existing agent other than oneself; once per target.
import { conflict, invalidTarget } from '../../errors.ts';
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
