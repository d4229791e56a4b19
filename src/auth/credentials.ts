// Parses the Authorization header (RFC 9110 11.6.2; Basic: RFC 7617; Bearer: RFC 6750). The scheme
// name is case-insensitive; the Basic user-id is everything before the first colon.
export type Credentials =
  | { scheme: 'basic'; agentId: string; secret: string }
  | { scheme: 'bearer'; token: string }
  | { scheme: 'none' }
  | { scheme: 'malformed'; reason: string };

export function parseAuthorization(header: string | undefined): Credentials {
  if (!header || !header.trim()) return { scheme: 'none' };
  const match = /^([A-Za-z]+) +(\S+)\s*$/.exec(header);
  if (!match) return { scheme: 'malformed', reason: 'Authorization header is malformed' };
  const [, scheme, value] = match;
  if (scheme.toLowerCase() === 'bearer') return { scheme: 'bearer', token: value };
  if (scheme.toLowerCase() !== 'basic') return { scheme: 'malformed', reason: `unsupported authorization scheme ${scheme}` };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return { scheme: 'malformed', reason: 'Basic credentials are not base64' };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return { scheme: 'malformed', reason: 'Basic credentials must be base64(agent_id:secret)' };
  return { scheme: 'basic', agentId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}
