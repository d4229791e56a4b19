// The governor: a loopback proxy that every request of a `fluxra-contract` run goes through, whichever
// vitest worker sends it, probes and control-plane calls included. One place, so the request budget, the
// concurrency limit, the per-request timeout and Retry-After hold across workers; it also records
// (operationId, status) for coverage and Prism's sl-violations, and harvests the run's secrets for redaction.
//
// Its own answers carry a marker header, so a client never mistakes them for the target's:
//   x-fluxra-contract-budget: exhausted     the budget is spent (503)
//   x-fluxra-contract-stopped: <reason>      the run was stopped: signal, deadline, a Retry-After over the cap (503)
//   x-fluxra-contract-governor: upstream-error | timeout   the target could not be reached (502) or did not answer in time (504)
// Requests may carry x-fluxra-contract-op (the operationId), -direct: 1 (to the target, not Prism) and
// -timeout: <ms> (their own wait); every x-fluxra-contract-* header is stripped before forwarding.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Operation } from '../../src/spec/operations.ts';
import { createForwarder, type Forwarded } from './forward.ts';
import { harvestSecrets, type Redactor } from './redact.ts';

export interface GovernorOptions {
  /** Where API requests go: the target, or Prism in front of it. Credentials in it are never sent. */
  upstream: string;
  /** The target itself, for `/__fake/*` and probes (never through Prism). Default: `upstream`. */
  direct?: string;
  /** The spec's operations, or a function giving them (read once, when a request first needs them). */
  operations: Operation[] | (() => Operation[]);
  budget: number;
  concurrency: number;
  /** Most retries of one request answered 429 (default 3). */
  maxRetries?: number;
  /** Longest Retry-After waited out (seconds, default 30). Past it the 429 is passed on, unless `stopOnRetryAfter`. */
  maxRetryWaitS?: number;
  /** A Retry-After longer than `maxRetryWaitS` stops the run (fluxra-contract --max-retry-after). */
  stopOnRetryAfter?: boolean;
  /** Longest wait for one answer, body included (ms; default none: the client's own timeout decides, as in parity). */
  timeoutMs?: number;
  /** Receives every credential and secret field value seen, for the run's redaction. */
  redactor?: Redactor;
  /** Called once when the governor stops the run by itself (Retry-After over the cap). */
  onStop?: (reason: string) => void;
}

export interface Violation { location: string[]; severity: string; message?: string; code?: unknown }
export interface Recorded { operationId: string; status: number; violations: Violation[] }

export interface GovernorStats {
  sent: number;
  refused: number;
  retried429: number;
  timeouts: number;
  unreachable: number;
  exchanges: Recorded[];
}

const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'host', 'upgrade', 'te', 'trailer', 'proxy-connection']);

/** Retry-After as seconds (delta-seconds or an HTTP-date), undefined when absent or unreadable. */
export function retryAfterSeconds(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** The base URL without credentials (Node would send them as Basic auth, and they must never reach a log). */
const bare = (url: string) => {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.href.replace(/\/+$/, '');
};

export async function startGovernor(options: GovernorOptions) {
  const stats: GovernorStats = { sent: 0, refused: 0, retried429: 0, timeouts: 0, unreachable: 0, exchanges: [] };
  const maxRetries = options.maxRetries ?? 3;
  const maxWait = options.maxRetryWaitS ?? 30;
  const timeoutMs = options.timeoutMs;
  let upstream = bare(options.upstream);
  const forwarder = createForwarder();
  const direct = bare(options.direct ?? options.upstream);
  const halted = new AbortController();
  let stopReason: string | undefined;
  const halt = (reason: string) => {
    if (stopReason) return;
    stopReason = reason;
    halted.abort();
    for (const wake of waiting.splice(0)) wake();
  };

  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const acquire = () => (inFlight < options.concurrency ? (inFlight++, Promise.resolve()) : new Promise<void>((r) => waiting.push(() => (inFlight++, r()))));
  const release = () => {
    inFlight--;
    waiting.shift()?.();
  };
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    halted.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
  // Built on first need: a request naming its operation (X-Fluxra-Contract-Op, as the preflight's do) needs
  // no spec, so a target that does not answer is diagnosed before the spec is even read.
  let matchers: { op: Operation; re: RegExp }[] | undefined;
  const match = () => (matchers ??= (typeof options.operations === 'function' ? options.operations() : options.operations)
    .map((op) => ({ op, re: new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]+')}$`) })));
  const identify = (method: string, url: string, header: string | undefined) =>
    header ?? match().find((m) => m.op.method === method.toLowerCase() && m.re.test(url.split('?')[0]))?.op.operationId ?? 'unmatched';
  const answer = (res: ServerResponse, status: number, header: [string, string], message: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', [header[0]]: header[1] });
    res.end(`fluxra-contract: ${message}`);
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const opHeader = req.headers['x-fluxra-contract-op'];
    const url = req.url ?? '/';
    const operationId = identify(req.method ?? 'GET', url, typeof opHeader === 'string' ? opHeader : undefined);
    // The control plane and the probes go to the target itself: they are not API operations Prism knows.
    const base = url.startsWith('/__fake/') || req.headers['x-fluxra-contract-direct'] === '1' ? direct : upstream;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || HOP.has(k) || k.startsWith('x-fluxra-contract-')) continue;
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    headers['accept-encoding'] = 'identity';
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined;
    if (options.redactor) harvestSecrets(options.redactor, { authorization, requestBody: body?.toString('utf8') });
    await acquire();
    try {
      for (let attempt = 0; ; attempt++) {
        if (stopReason) return answer(res, 503, ['x-fluxra-contract-stopped', encodeURIComponent(stopReason)], `the run was stopped: ${stopReason}`);
        if (stats.sent >= options.budget) {
          stats.refused++;
          res.writeHead(503, { 'content-type': 'application/json', 'x-fluxra-contract-budget': 'exhausted' });
          res.end(JSON.stringify({ error: { code: 'CONTRACT_BUDGET_EXHAUSTED', message: 'fluxra-contract request budget exhausted' } }));
          return;
        }
        stats.sent++;
        // The preflight sets its own wait (X-Fluxra-Contract-Timeout, ms): it is not bound by --timeout.
        const wait = Number(req.headers['x-fluxra-contract-timeout']) || timeoutMs;
        const signal = wait ? AbortSignal.any([AbortSignal.timeout(wait), halted.signal]) : halted.signal;
        let upstreamRes: Forwarded;
        try {
          upstreamRes = await forwarder.forward(`${base}${url}`, { method: req.method ?? 'GET', headers, body, signal });
        } catch (err) {
          const e = err as Error & { code?: string };
          if (stopReason) return answer(res, 503, ['x-fluxra-contract-stopped', encodeURIComponent(stopReason)], `the run was stopped: ${stopReason}`);
          if (e.name === 'TimeoutError') {
            stats.timeouts++;
            return answer(res, 504, ['x-fluxra-contract-governor', 'timeout'], `no answer within ${(wait ?? 0) / 1000} s (--timeout) to ${req.method} ${url.split('?')[0]}`);
          }
          stats.unreachable++;
          return answer(res, 502, ['x-fluxra-contract-governor', 'upstream-error'], `upstream unreachable: ${e.code ?? e.message}`);
        }
        const { payload } = upstreamRes;
        const retryAfter = retryAfterSeconds(upstreamRes.headers['retry-after'] ?? null);
        // A fake's private tenant (X-Fluxra-Tenant, contracts/lib/control.ts) is rate limited by the test
        // itself to see the 429: passed on as it is, never waited out and never a reason to stop.
        if (upstreamRes.status === 429 && retryAfter !== undefined && !req.headers['x-fluxra-tenant']) {
          if (retryAfter > maxWait && options.stopOnRetryAfter) {
            const reason = `the target asked to wait ${retryAfter} s (Retry-After on ${operationId}), beyond --max-retry-after ${maxWait} s`;
            halt(reason);
            options.onStop?.(reason);
            return answer(res, 503, ['x-fluxra-contract-stopped', encodeURIComponent(reason)], `the run was stopped: ${reason}`);
          }
          if (retryAfter <= maxWait && attempt < maxRetries) {
            stats.retried429++;
            await sleep(retryAfter * 1000);
            continue;
          }
        }
        if (options.redactor) harvestSecrets(options.redactor, { responseBody: payload.toString('utf8') });
        let violations: Violation[] = [];
        const raw = upstreamRes.headers['sl-violations'];
        if (raw) {
          try {
            violations = JSON.parse(raw) as Violation[];
          } catch {
            violations = [{ location: ['response'], severity: 'Error', message: 'unreadable sl-violations header' }];
          }
        }
        stats.exchanges.push({ operationId, status: upstreamRes.status, violations });
        const out: Record<string, string | string[]> = {};
        for (const [key, value] of Object.entries(upstreamRes.headers)) if (!HOP.has(key)) out[key] = value;
        if (upstreamRes.setCookie.length) out['set-cookie'] = upstreamRes.setCookie;
        res.writeHead(upstreamRes.status, out);
        res.end(payload);
        return;
      }
    } catch (err) {
      if (!res.headersSent) answer(res, 502, ['x-fluxra-contract-governor', 'upstream-error'], `upstream unreachable: ${err instanceof Error ? err.message : String(err)}`);
      else res.destroy();
    } finally {
      release();
    }
  });
  // Idle keep-alive sockets are closed by the clients (undici: after 4 s), never by us: a server closing one
  // just as a client reuses it is an ECONNRESET, likelier on a loaded machine. close() cuts them all anyway.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    budgetExhausted: () => stats.refused > 0,
    /** Why the run was stopped (by `halt` or by the governor itself), if it was. */
    stopReason: () => stopReason,
    /** Stops the run: requests in flight are cut, every later one is answered "stopped" at once. */
    halt,
    /** Sends API requests elsewhere from now on (Prism, once it is up). */
    useUpstream: (url: string) => void (upstream = bare(url)),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      forwarder.close();
    }),
  };
}
