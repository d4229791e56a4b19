// Helpers for the contract kit's own tests: the fake as a separate process, deviant servers as separate
// processes (test/deviant-servers.ts: a proxy in front of the fake that misbehaves on purpose and records
// every secret it forwards, or a server that is not the Fluxra API at all), a runner for the
// `fluxra-contract` command, and a limiter so only a few runs are in flight on a loaded machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

export async function startFakeProcess(): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['bin/fluxra-fake.js', '--port', '0', '--quiet'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return { ...(await ready(child, 'fluxra-fake')), child, stop: () => stop(child) };
}

/** Resolves with the URL once the child prints "listening on URL"; rejects with its output if it exits first. */
export function ready(child: ChildProcess, what: string): Promise<{ url: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1] });
    });
    child.stderr!.on('data', (d) => (err += d));
    child.once('exit', (code) => reject(new Error(`${what} exited ${code}: ${out}${err}`)));
  });
}

/** SIGTERM, resolved when the child has exited. */
export function stop(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** A deviant server as its own process (test/deviant-servers.ts); `secrets()`: what a proxy forwarded. */
export async function startDeviantProcess(kind: string, upstream?: string, secretsFile?: string) {
  const args = ['--import', 'tsx', 'test/deviant-servers.ts', kind, ...(upstream ? ['--upstream', upstream] : []), ...(secretsFile ? ['--secrets', secretsFile] : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const { url } = await ready(child, `deviant server ${kind}`);
  return {
    url,
    secrets: () => (secretsFile && existsSync(secretsFile) ? readFileSync(secretsFile, 'utf8').split('\n').filter((s) => s.length >= 8) : []),
    stop: () => stop(child),
  };
}

/** Runs at most `n` tasks at once (child processes on a shared 2-core machine). */
export function limiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

export interface Exchange {
  method: string;
  path: string;
  auth?: string;
  requestBody: unknown;
  status: number;
  body: unknown;
  headers: Record<string, string>;
}
/** Changes an upstream answer; returns it unchanged for a faithful proxy. */
export type Deviation = (ex: Exchange) => (Pick<Exchange, 'status' | 'body'> & { headers?: Record<string, string> }) | 'hang';

const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'host']);

/** The proxy behind a deviant server; `secretsFile`: every secret is also appended there (it runs in its own process). */
export async function startProxy(upstream: string, deviate: Deviation = (ex) => ex, secretsFile?: string) {
  const seen = new Set<string>();
  const secrets = { add(s: string) {
    if (seen.has(s)) return;
    seen.add(s);
    if (secretsFile && s.length >= 8 && !s.includes('\n')) appendFileSync(secretsFile, `${s}\n`);
  } };
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP.has(k)) headers.set(k, String(v));
    const auth = req.headers.authorization;
    if (auth) {
      secrets.add(auth);
      const value = auth.split(' ')[1] ?? '';
      secrets.add(value);
      if (/^basic$/i.test(auth.split(' ')[0])) secrets.add(Buffer.from(value, 'base64').toString().split(':').slice(1).join(':'));
    }
    const up = await fetch(`${upstream}${req.url}`, { method: req.method, headers, body: raw || undefined });
    const text = await up.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch { /* plain text */ }
    for (const field of ['recovery_key', 'api_key', 'access_token']) {
      const v = (body as Record<string, unknown> | undefined)?.[field];
      if (typeof v === 'string') secrets.add(v);
    }
    const upHeaders: Record<string, string> = {};
    up.headers.forEach((v, k) => {
      if (!HOP.has(k)) upHeaders[k] = v;
    });
    let requestBody: unknown;
    try {
      requestBody = raw ? JSON.parse(raw) : undefined;
    } catch { /* not JSON */ }
    const out = deviate({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], auth, requestBody, status: up.status, body, headers: upHeaders });
    if (out === 'hang') return; // never answers (the client's timeout must end the wait)
    const outHeaders = { ...upHeaders, ...out.headers };
    const payload = out.body === undefined ? '' : typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
    if (typeof out.body === 'object') outHeaders['content-type'] = upHeaders['content-type'] ?? 'application/json';
    res.writeHead(out.status, outHeaders);
    res.end(payload);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Every secret the proxy forwarded: Authorization values, their decoded secrets, recovery/API keys, tokens. */
    secrets: () => [...seen].filter((s) => s.length >= 8),
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}

export interface RunResult { code: number | null; stdout: string; stderr: string; ms?: number }

/** Runs `fluxra-contract` (compiled) as a child; `onStdout` sees its output as it comes (e.g. to signal it). */
export function runContract(args: string[], onStdout?: (soFar: string, child: ChildProcess) => void): Promise<RunResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['bin/fluxra-contract.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FLUXRA_BASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d) => (stderr += d));
    const done = (code: number | null) => resolve({ code, stdout, stderr, ms: Date.now() - started });
    child.on('close', done);
    // A grandchild still holding the pipes must not keep the result back.
    child.on('exit', (code) => setTimeout(() => done(code), 2_000).unref());
  });
}

/** A free loopback port with nothing listening on it (taken, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

// --- the deviants ---

const jwtPayload = (auth?: string) => {
  try {
    return JSON.parse(Buffer.from((auth ?? '').split(' ')[1].split('.')[1], 'base64url').toString()) as { sub: string; scope?: string };
  } catch {
    return undefined;
  }
};

export function deviants(): Record<string, Deviation> {
  const apiKeys = new Map<string, string>();
  const dmPairs = new Set<string>();
  let limitedOnce = false;
  return {
    // Broken, not deviant: every getWhoami answers 500 (in the error envelope). Fails in every tier.
    whoami500: (ex) => (ex.method === 'GET' && ex.path === '/api/auth/whoami' ? { status: 500, body: { error: { code: 'INTERNAL_ERROR', message: 'boom' } } } : ex),
    // Broken: every sendMessage answers 500 (the Quickstart's last step and the documented sends).
    sendMessage500: (ex) => (ex.method === 'POST' && ex.path === '/api/messages' ? { status: 500, body: { error: { code: 'INTERNAL_ERROR', message: 'boom' } } } : ex),
    // Tokens that are not JWTs (three dot-separated parts, as the schema wants, but no "eyJ" header) and
    // that the server then quotes back in its 401s: only redaction of the values the run saw (not of
    // patterns) keeps them out of the output.
    opaqueTokens: (ex) => {
      const opaque = () => `opq${randomUUID().replace(/-/g, '')}.${randomUUID().slice(0, 8)}.${randomUUID().slice(0, 8)}`;
      if (ex.method === 'POST' && ex.path === '/api/auth/token' && ex.status === 200) return { ...ex, body: { ...(ex.body as object), access_token: opaque() } };
      const token = /^Bearer (opq[0-9a-f]+\.[0-9a-f]+\.[0-9a-f]+)$/.exec(ex.auth ?? '')?.[1];
      return token ? { status: 401, body: { error: { code: 'UNAUTHORIZED', message: `the token ${token} is not valid here` } } } : ex;
    },
    // Never answers getWhoami: only the client's --timeout ends the wait.
    whoamiHang: (ex) => (ex.method === 'GET' && ex.path === '/api/auth/whoami' ? 'hang' : ex),
    // The first registration is rate limited with a Retry-After of about eleven days.
    retryAfterHuge: (ex) => {
      if (ex.method !== 'POST' || ex.path !== '/api/auth/register' || limitedOnce) return ex;
      limitedOnce = true;
      return { status: 429, headers: { 'retry-after': '999999' }, body: { error: { code: 'RATE_LIMIT_EXCEEDED', message: 'come back later' } } };
    },
    // Not a deviant: a server with a route-specific rate limit. Every third new registration is answered
    // 429 with Retry-After (documented for registerAgent); once the client has waited, its retry of that
    // registration goes through (so the test does not depend on how concurrent workers interleave).
    rateLimited: (() => {
      let registrations = 0;
      const limited = new Set<string>();
      return (ex: Exchange) => {
        const name = (ex.requestBody as { agent_name?: string } | undefined)?.agent_name;
        if (ex.method !== 'POST' || ex.path !== '/api/auth/register' || !name || limited.has(name)) return ex;
        if (++registrations % 3 !== 0) return ex;
        limited.add(name);
        return { status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'RATE_LIMIT_EXCEEDED', message: 'too many registrations' } } };
      };
    })(),
    // A response field renamed: createBlock's block_id becomes blockId.
    renamedField: (ex) =>
      ex.method === 'POST' && ex.path === '/api/blocks' && ex.status < 300
        ? { ...ex, body: Object.fromEntries(Object.entries(ex.body as object).map(([k, v]) => [k === 'block_id' ? 'blockId' : k, v])) }
        : ex,
    // A status changed: deleteBlock answers 202 instead of 204.
    changedStatus: (ex) => (ex.method === 'DELETE' && ex.path.startsWith('/api/blocks/') && ex.status === 204 ? { ...ex, status: 202 } : ex),
    // A secret shown twice: the key list repeats the agent's latest api_key (in a field the schema allows).
    secretTwice: (ex) => {
      const m = /^\/api\/agents\/([^/]+)$/.exec(ex.path);
      if (m && ex.method === 'POST' && ex.status < 300) apiKeys.set(m[1], (ex.body as { api_key: string }).api_key);
      if (m && ex.method === 'GET' && ex.status === 200 && apiKeys.has(m[1])) return { ...ex, body: { ...(ex.body as object), last_key: apiKeys.get(m[1]) } };
      return ex;
    },
    // The error envelope dropped: {"message": ...} instead of {"error": {code, message}}.
    droppedEnvelope: (ex) =>
      ex.status >= 400 && typeof ex.body === 'object' ? { ...ex, body: { message: (ex.body as { error?: { message?: string } }).error?.message ?? 'error' } } : ex,
    // A scope ignored: a 403 for a token without messages:write becomes a fabricated 201 message.
    ignoredScope: (ex) => {
      const claims = jwtPayload(ex.auth);
      if (ex.method === 'POST' && ex.path === '/api/messages' && ex.status === 403 && claims && !(claims.scope ?? '').split(' ').includes('messages:write')) {
        const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        return { ...ex, status: 201, body: { message_id: `msg_${randomUUID()}`, conversation_id: `conv_${randomUUID()}`, sender_id: claims.sub, content: (ex.requestBody as { content: string }).content, type: 'text', status: 'sent', created_at: now } };
      }
      return ex;
    },
    // A second DM conversation: the second shortcut message of a pair lands in a new conversation.
    secondDm: (ex) => {
      const to = (ex.requestBody as { recipient_agent_id?: string } | undefined)?.recipient_agent_id;
      const from = jwtPayload(ex.auth)?.sub;
      if (ex.method !== 'POST' || ex.path !== '/api/messages' || !to || !from || ex.status >= 300) return ex;
      const pair = [from, to].sort().join('|');
      if (!dmPairs.has(pair)) {
        dmPairs.add(pair);
        return ex;
      }
      return { ...ex, body: { ...(ex.body as object), conversation_id: `conv_${randomUUID()}` } };
    },
  };
}
