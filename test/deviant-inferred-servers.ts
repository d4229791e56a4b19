// A deviant Fluxra server as its own process: a proxy on 127.0.0.1 in front of a fake process that
// rewrites the answers in one way (the mode). Used by test/deviant-rules.test.ts.
//   node --import tsx test/deviant-inferred-servers.ts <mode> <upstream-url>
// prints "deviant <mode> listening on http://127.0.0.1:PORT", and on SIGTERM "deviant <mode> rewrote N
// answers" (so a test can tell the deviation really happened). The fake's control plane (/__fake) is hidden,
// as on a real deployment, so the fake-only tier is skipped.
//
// Modes that differ only where openapi.yaml made a choice the docs do not (a faithful server may do this):
//   dropped-inferred-fields  conversations lose created_at/created_by/last_activity_at, tokens their
//                            token_type/expires_in, messages edited_at, 401s their WWW-Authenticate
//   reordered                every object's members in reverse order, every `members` list reversed
//   token-type-case          token_type "bearer" instead of "Bearer"
//   unknown-sync-events      an event of a type the spec does not name at the head of every sync page
//   whole-second-clock       GET /health's timestamp without fractional seconds (RFC 3339 makes them optional)
//   allowed-variations       the last four at once (what the spec allows: no order, case, event-type or
//                            clock-resolution rule)
// Modes that break a documented rule (the suite must fail):
//   dropped-conversation-id  createConversation answers without conversation_id
//   wrong-error-code         blocking a target twice is 409 ALREADY_BLOCKED instead of CONFLICT
//   missing-content-type     registerAgent answers JSON without a Content-Type header
//   content-limit-off-by-one a message of exactly 10000 characters is refused (400)
//   wrong-default-scopes     a key created without scopes is answered with three of the four defaults
//   unkept-block-delete      DELETE /api/blocks/{id} answers 204 and deletes nothing
//   local-timestamps         created_at of a new message is sent with a +02:00 offset
//   frozen-clock             GET /health's timestamp is always the time this proxy started
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = unknown;
interface Exchange {
  method: string;
  path: string;
  requestBody: Json;
  status: number;
  body: Json;
  headers: Record<string, string>;
}
type Rewrite = (ex: Exchange) => Exchange | undefined;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Applies fn to every object in a JSON value, depth first. */
function everyObject(value: Json, fn: (o: Record<string, unknown>) => void): Json {
  if (Array.isArray(value)) value.forEach((v) => everyObject(v, fn));
  else if (isObj(value)) {
    Object.values(value).forEach((v) => everyObject(v, fn));
    fn(value);
  }
  return value;
}

function reversed(value: Json): Json {
  if (Array.isArray(value)) return value.map(reversed);
  if (!isObj(value)) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, k === 'members' && Array.isArray(v) ? [...v].reverse() : reversed(v)]));
}

const STARTED = new Date().toISOString();

const MODES: Record<string, Rewrite> = {
  'dropped-inferred-fields': (ex) => {
    everyObject(ex.body, (o) => {
      if ('conversation_id' in o && 'members' in o) for (const k of ['created_at', 'created_by', 'last_activity_at']) delete o[k];
      if ('access_token' in o) for (const k of ['token_type', 'expires_in']) delete o[k];
      if ('message_id' in o && 'sender_id' in o) delete o.edited_at;
    });
    delete ex.headers['www-authenticate'];
    return ex;
  },
  reordered: (ex) => ({ ...ex, body: reversed(ex.body) }),
  'token-type-case': (ex) => {
    everyObject(ex.body, (o) => {
      if (typeof o.token_type === 'string') o.token_type = o.token_type.toLowerCase();
    });
    return ex;
  },
  'unknown-sync-events': (ex) => {
    const page = ex.body;
    if (ex.method === 'GET' && ex.path === '/api/sync' && isObj(page) && Array.isArray(page.events) && page.events.length > 0) {
      const first = page.events[0] as { conversation_id: string; occurred_at: string };
      page.events.unshift({ type: 'presence.changed', conversation_id: first.conversation_id, occurred_at: first.occurred_at, presence: 'online' });
    }
    return ex;
  },
  'whole-second-clock': (ex) => {
    if (ex.method === 'GET' && ex.path === '/health' && isObj(ex.body) && typeof ex.body.timestamp === 'string') {
      ex.body.timestamp = ex.body.timestamp.replace(/\.\d+Z$/, 'Z');
    }
    return ex;
  },
  'allowed-variations': (ex) => MODES['whole-second-clock'](MODES['unknown-sync-events'](MODES['token-type-case'](MODES.reordered(ex)!)!)!),
  'dropped-conversation-id': (ex) => {
    if (ex.method === 'POST' && ex.path === '/api/conversations' && isObj(ex.body)) delete ex.body.conversation_id;
    return ex;
  },
  'wrong-error-code': (ex) => {
    if (ex.method === 'POST' && ex.path === '/api/blocks' && ex.status === 409) ex.body = { error: { code: 'ALREADY_BLOCKED', message: 'target already blocked' } };
    return ex;
  },
  'missing-content-type': (ex) => {
    if (ex.method === 'POST' && ex.path === '/api/auth/register') delete ex.headers['content-type'];
    return ex;
  },
  'content-limit-off-by-one': (ex) => ex,
  'unkept-block-delete': (ex) => ex,
  'local-timestamps': (ex) => {
    if (ex.method === 'POST' && ex.path === '/api/messages' && isObj(ex.body) && typeof ex.body.created_at === 'string') {
      ex.body.created_at = new Date(Date.parse(ex.body.created_at) + 7_200_000).toISOString().replace(/\.\d{3}Z$/, '+02:00');
    }
    return ex;
  },
  'frozen-clock': (ex) => {
    if (ex.method === 'GET' && ex.path === '/health' && isObj(ex.body)) ex.body.timestamp = STARTED;
    return ex;
  },
  'wrong-default-scopes': (ex) => {
    const asked = isObj(ex.requestBody) ? ex.requestBody.scopes : undefined;
    if (ex.method === 'POST' && /^\/api\/agents\/[^/]+$/.test(ex.path) && ex.status < 300 && asked === undefined && isObj(ex.body)) {
      ex.body.scopes = ['messages:read', 'messages:write', 'conversations:read'];
    }
    return ex;
  },
};

/** Requests some modes answer themselves, without asking the fake. */
function answerBefore(mode: string, method: string, path: string, body: Json): Exchange | undefined {
  if (path.startsWith('/__fake')) return { method, path, requestBody: body, status: 404, body: { error: { code: 'NOT_FOUND', message: 'no such route' } }, headers: {} };
  if (mode === 'content-limit-off-by-one' && method === 'POST' && path === '/api/messages' && isObj(body) && typeof body.content === 'string' && body.content.length >= 10_000) {
    return { method, path, requestBody: body, status: 400, body: { error: { code: 'INVALID_REQUEST', message: 'content must be under 10000 characters' } }, headers: {} };
  }
  if (mode === 'unkept-block-delete' && method === 'DELETE' && path.startsWith('/api/blocks/')) return { method, path, requestBody: body, status: 204, body: undefined, headers: {} };
  return undefined;
}

const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'host']);

async function main() {
  const [mode, upstream] = process.argv.slice(2);
  const rewrite = MODES[mode ?? ''];
  if (!rewrite || !upstream) {
    process.stderr.write(`usage: deviant-inferred-servers.ts <${Object.keys(MODES).join('|')}> <upstream-url>\n`);
    process.exit(2);
  }
  let rewritten = 0;
  const server = createServer(async (req: IncomingMessage, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = Buffer.concat(chunks).toString();
      let requestBody: Json;
      try {
        requestBody = raw ? JSON.parse(raw) : undefined;
      } catch { /* not JSON: forwarded as it is */ }
      const method = req.method ?? 'GET';
      const path = (req.url ?? '/').split('?')[0];
      let ex = answerBefore(mode, method, path, requestBody);
      if (ex && !path.startsWith('/__fake')) rewritten++;
      if (!ex) {
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP.has(k)) headers.set(k, String(v));
        const up = await fetch(`${upstream}${req.url}`, { method, headers, body: raw || undefined });
        const text = await up.text();
        let body: Json = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch { /* plain text */ }
        const upHeaders: Record<string, string> = {};
        up.headers.forEach((v, k) => {
          if (!HOP.has(k)) upHeaders[k] = v;
        });
        const before = JSON.stringify([up.status, body, upHeaders]);
        ex = rewrite({ method, path, requestBody, status: up.status, body, headers: upHeaders }) ?? { method, path, requestBody, status: up.status, body, headers: upHeaders };
        if (JSON.stringify([ex.status, ex.body, ex.headers]) !== before) rewritten++;
      } else if (typeof ex.body === 'object') ex.headers['content-type'] = 'application/json; charset=utf-8';
      const payload = ex.body === undefined ? '' : typeof ex.body === 'string' ? ex.body : JSON.stringify(ex.body);
      res.writeHead(ex.status, ex.headers);
      res.end(payload);
    } catch (err) {
      process.stderr.write(`deviant ${mode}: ${String(err)}\n`);
      res.writeHead(502).end();
    }
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`deviant ${mode} listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`));
  const stop = () => {
    process.stdout.write(`deviant ${mode} rewrote ${rewritten} answers\n`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
