// Authorization header values, built as the docs give them (conventions: Basic base64(agent_id:secret),
// Bearer <access_token>).
export const basic = (agentId: string, secret: string) => `Basic ${Buffer.from(`${agentId}:${secret}`).toString('base64')}`;
export const bearer = (token: string) => `Bearer ${token}`;
