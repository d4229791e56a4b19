// Looking an agent up on behalf of a request: an unknown or deleted agent is 404 NOT_FOUND (openapi.yaml:
// components.responses.NotFound), wherever an operation names one (members, recipients, profiles).
import { notFound } from '../../errors.ts';
import type { World } from '../world.ts';
import type { Agent } from './store.ts';

export function liveAgentOr404(world: World, agentId: string): Agent {
  const agent = world.stores.agents.get(agentId);
  if (!agent) throw notFound(`agent ${agentId} not found`);
  return agent;
}
