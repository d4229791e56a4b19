// Deviant servers for the parity tests: a proxy in front of the fake (a separate process) that changes its
// answers in one way each, as a deployment might, and records every secret it forwards so the tests can
// look for them in every report and recording. Unlike test/contract-servers.ts's proxy it can also drop a
// header.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer { status: number; headers: Record<string, string>; body: unknown }
export interface Seen { method: string; path: string; auth?: string; requestBody: unknown; answer: Answer }
/** Returns the answer to send: `seen.answer` unchanged for a faithful proxy. */
export type Deviation = (seen: Seen) => Answer;

const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'host']);

export async function startDeviantProxy(upstream: string, deviate: Deviation = (s) => s.answer) {
  const secrets = new Set<string>();
  const keep = (v: unknown) => {
    if (typeof v === 'string' && v.length >= 8) secrets.add(v);
  };
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP.has(k)) headers.set(k, String(v));
    const auth = req.headers.authorization;
    if (auth) {
      const [scheme, value = ''] = auth.split(' ');
      keep(auth);
      keep(value);
      if (/^basic$/i.test(scheme)) keep(Buffer.from(value, 'base64').toString().split(':').slice(1).join(':'));
    }
    let requestBody: unknown;
    try {
      requestBody = raw ? JSON.parse(raw) : undefined;
    } catch { /* not JSON */ }
    keep((requestBody as { token?: unknown } | undefined)?.token);
    const up = await fetch(`${upstream}${req.url}`, { method: req.method, headers, body: raw || undefined });
    const text = await up.text();
    let body: unknown = text || undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch { /* plain text */ }
    for (const field of ['recovery_key', 'api_key', 'access_token']) keep((body as Record<string, unknown> | undefined)?.[field]);
    const upHeaders: Record<string, string> = {};
    up.headers.forEach((v, k) => {
      if (!HOP.has(k)) upHeaders[k] = v;
    });
    const out = deviate({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], auth, requestBody, answer: { status: up.status, headers: upHeaders, body } });
    const payload = out.body === undefined ? '' : typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
    res.writeHead(out.status, out.headers);
    res.end(payload);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Every secret forwarded: Authorization values, their decoded secrets, recovery and API keys, tokens. */
    secrets: () => [...secrets],
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}

const subject = (auth?: string) => {
  try {
    return (JSON.parse(Buffer.from((auth ?? '').split(' ')[1].split('.')[1], 'base64url').toString()) as { sub: string }).sub;
  } catch {
    return undefined;
  }
};

/** Each deviant changes one thing, the way the issue lists them. */
export function parityDeviants(): Record<string, Deviation> {
  const pairs = new Set<string>();
  return {
    // A documented field renamed: sendMessage's sender_id becomes senderId.
    renamedField: ({ method, path, answer }) =>
      method === 'POST' && path === '/api/messages' && answer.status < 300
        ? { ...answer, body: Object.fromEntries(Object.entries(answer.body as object).map(([k, v]) => [k === 'sender_id' ? 'senderId' : k, v])) }
        : answer,
    // A documented status changed: blocking a target twice answers 400 instead of 409 CONFLICT.
    changedStatus: ({ method, path, answer }) => (method === 'POST' && path === '/api/blocks' && answer.status === 409 ? { ...answer, status: 400 } : answer),
    // A status of ours changed: deleting a block answers 200 with {} instead of 204 (the spec accepts both).
    changedInferredStatus: ({ method, path, answer }) =>
      method === 'DELETE' && path.startsWith('/api/blocks/') && answer.status === 204 ? { status: 200, headers: { ...answer.headers, 'content-type': 'application/json' }, body: {} } : answer,
    // A documented header dropped: 401 without WWW-Authenticate.
    droppedHeader: ({ answer }) => {
      if (answer.status !== 401) return answer;
      const headers = { ...answer.headers };
      delete headers['www-authenticate'];
      return { ...answer, headers };
    },
    // A list reordered: message history comes back in the other order.
    reorderedList: ({ method, path, answer }) =>
      method === 'GET' && /^\/api\/conversations\/[^/]+\/messages$/.test(path) && answer.status === 200
        ? { ...answer, body: { ...(answer.body as object), messages: [...(answer.body as { messages: unknown[] }).messages].reverse() } }
        : answer,
    // The shortcut opens a new conversation: every shortcut message of a pair after the first lands elsewhere.
    newDmConversation: ({ method, path, auth, requestBody, answer }) => {
      const to = (requestBody as { recipient_agent_id?: string } | undefined)?.recipient_agent_id;
      const from = subject(auth);
      if (method !== 'POST' || path !== '/api/messages' || !to || !from || answer.status >= 300) return answer;
      const pair = [from, to].sort().join('|');
      if (!pairs.has(pair)) {
        pairs.add(pair);
        return answer;
      }
      return { ...answer, body: { ...(answer.body as object), conversation_id: `conv_${randomUUID()}` } };
    },
  };
}
