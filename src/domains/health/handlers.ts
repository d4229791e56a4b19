import { defineHandlers } from '../define.ts';

/** The documented API version the fake imitates (docs v0.4.0). */
const API_VERSION = '0.4.0';

export const healthHandlers = defineHandlers({
  getHealth: (ctx) => ({
    status: 200,
    body: { status: 'healthy', timestamp: ctx.state.clock.iso(), version: API_VERSION },
  }),
});
