// The governor: a loopback proxy that every request of a `fluxra-contract` run goes through, whichever
// vitest worker sends it. One place, so the request budget, the concurrency limit and Retry-After hold
// across workers; it also records (operationId, status) for coverage and Prism's sl-violations.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Operation } from '../../src/spec/operations.ts';

export interface GovernorOptions {
  upstream: string;
  operations: Operation[];
  budget: number;
  concurrency: number;
  /** Most retries of one request answered 429, and the longest Retry-After honoured (seconds). */
  maxRetries?: number;
  maxRetryWaitS?: number;
}

export interface Violation { location: string[]; severity: string; message?: string; code?: unknown }
export interface Recorded { operationId: string; status: number; violations: Violation[] }

export interface GovernorStats {
  sent: number;
  refused: number;
  retried429: number;
  exchanges: Recorded[];
}

const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'host', 'upgrade', 'te', 'trailer', 'proxy-connection']);

export async function startGovernor(options: GovernorOptions) {
  const stats: GovernorStats = { sent: 0, refused: 0, retried429: 0, exchanges: [] };
  const maxRetries = options.maxRetries ?? 3;
  const maxWait = options.maxRetryWaitS ?? 30;
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const acquire = () => (inFlight < options.concurrency ? (inFlight++, Promise.resolve()) : new Promise<void>((r) => waiting.push(() => (inFlight++, r()))));
  const release = () => {
    inFlight--;
    waiting.shift()?.();
  };
  const matchers = options.operations.map((op) => ({ op, re: new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
  const identify = (method: string, url: string, header: string | undefined) =>
    header ?? matchers.find((m) => m.op.method === method.toLowerCase() && m.re.test(url.split('?')[0]))?.op.operationId ?? 'unmatched';

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const opHeader = req.headers['x-fluxra-contract-op'];
    const operationId = identify(req.method ?? 'GET', req.url ?? '/', typeof opHeader === 'string' ? opHeader : undefined);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || HOP.has(k) || k.startsWith('x-fluxra-contract-')) continue;
      headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    }
    headers.set('accept-encoding', 'identity');
    await acquire();
    try {
      for (let attempt = 0; ; attempt++) {
        if (stats.sent >= options.budget) {
          stats.refused++;
          res.writeHead(503, { 'content-type': 'application/json', 'x-fluxra-contract-budget': 'exhausted' });
          res.end(JSON.stringify({ error: { code: 'CONTRACT_BUDGET_EXHAUSTED', message: 'fluxra-contract request budget exhausted' } }));
          return;
        }
        stats.sent++;
        const upstream = await fetch(`${options.upstream}${req.url}`, { method: req.method, headers, body, redirect: 'manual' });
        const payload = Buffer.from(await upstream.arrayBuffer());
        const retryAfter = Number(upstream.headers.get('retry-after'));
        if (upstream.status === 429 && attempt < maxRetries && Number.isFinite(retryAfter) && retryAfter >= 0 && retryAfter <= maxWait) {
          stats.retried429++;
          await new Promise((r) => setTimeout(r, retryAfter * 1000));
          continue;
        }
        let violations: Violation[] = [];
        const raw = upstream.headers.get('sl-violations');
        if (raw) {
          try {
            violations = JSON.parse(raw) as Violation[];
          } catch {
            violations = [{ location: ['response'], severity: 'Error', message: 'unreadable sl-violations header' }];
          }
        }
        stats.exchanges.push({ operationId, status: upstream.status, violations });
        const out: Record<string, string | string[]> = {};
        upstream.headers.forEach((value, key) => {
          if (!HOP.has(key)) out[key] = value;
        });
        const cookies = upstream.headers.getSetCookie();
        if (cookies.length) out['set-cookie'] = cookies;
        res.writeHead(upstream.status, out);
        res.end(payload);
        return;
      }
    } catch (err) {
      res.writeHead(502, { 'content-type': 'text/plain', 'x-fluxra-contract-governor': 'upstream-error' });
      res.end(`fluxra-contract: upstream unreachable: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      release();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    budgetExhausted: () => stats.refused > 0,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
