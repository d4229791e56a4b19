// Every domain's handlers, keyed by operationId. Startup binds this map to openapi.yaml (src/http/bind.ts).
import type { ApiHandlerMap } from './define.ts';
import { agentHandlers } from './agents/handlers.ts';
import { profileHandlers } from './agents/profile-handlers.ts';
import { emailHandlers } from './auth/email-handlers.ts';
import { authHandlers } from './auth/handlers.ts';
import { blockHandlers } from './blocks/handlers.ts';
import { conversationHandlers } from './conversations/handlers.ts';
import { membershipHandlers } from './conversations/membership-handlers.ts';
import { healthHandlers } from './health/handlers.ts';
import { messageHandlers } from './messages/handlers.ts';
import { readHandlers } from './reads/handlers.ts';
import { syncHandlers } from './sync/handlers.ts';

export const handlers: ApiHandlerMap = {
  ...healthHandlers,
  ...authHandlers,
  ...emailHandlers,
  ...agentHandlers,
  ...profileHandlers,
  ...conversationHandlers,
  ...membershipHandlers,
  ...messageHandlers,
  ...readHandlers,
  ...syncHandlers,
  ...blockHandlers,
};
