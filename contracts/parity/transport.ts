// The thin adapter between parity and the suite's safety machinery, kept in one file so the contract
// kit's own modules (URL checks, budget, concurrency, timeout, redaction, preflight) can replace what is
// here without touching the rest of parity. Today: contracts/lib/governor.ts (budget, concurrency,
// Retry-After, across every scenario of the run) and contracts/lib/redact.ts (patterns), plus the
// per-request timeout, the loopback rule and a preflight of our own.
import { startFake, type ResponseViolation } from '../../src/index.ts';
import type { Operation } from '../../src/spec/operations.ts';
import { startGovernor } from '../lib/governor.ts';
import { redact } from '../lib/redact.ts';
import type { RawResponse } from './types.ts';

export interface OutgoingRequest {
  operationId: string;
  method: string;
  /** Path and query, already encoded. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Transport {
  side: 'fake' | 'target';
  /** How far this side's clock may be from ours when timestamps are checked (ms). */
  tolerance: number;
  send(req: OutgoingRequest): Promise<RawResponse>;
  /** The fake's own response violations since the last call (the fake answers them with a 500). */
  violations(): ResponseViolation[];
  close(): Promise<void>;
}

/** The transport failed (timeout, refused connection, budget exhausted): not a difference, an incomplete run. */
export class TransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportError';
  }
}

export class UsageError extends Error {}

export function isLoopback(url: URL) {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The base URL as it may be shown: no credentials, no trailing slash. */
export function displayUrl(url: URL): string {
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  return shown.href.replace(/\/+$/, '');
}

export function checkTarget(raw: string, allowLive: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--base-url is not a URL: ${redact(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--base-url must be http or https, got ${url.protocol}`);
  if (!isLoopback(url) && !allowLive) {
    throw new UsageError(`refusing to run parity against ${url.origin}: it is not a loopback address. Parity registers throwaway agents and sends real requests; pass --allow-live to run it against a live server (keep --concurrency low and set --budget).`);
  }
  return url;
}

async function exchange(base: string, req: OutgoingRequest, timeoutMs: number): Promise<RawResponse> {
  let res: Response;
  try {
    res = await fetch(`${base}${req.url}`, { method: req.method, headers: req.headers, body: req.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s (--timeout)` : (e.cause?.code ?? e.message);
    throw new TransportError(`${req.method} ${req.url.split('?')[0]}: ${why}`);
  }
  // The governor answers 502 with this header when it could not reach the target at all.
  if (res.headers.get('x-fluxra-contract-governor') === 'upstream-error') {
    const why = (await res.text().catch(() => '')).replace(/^fluxra-contract: /, '');
    throw new TransportError(`${req.method} ${req.url.split('?')[0]}: ${why || 'the target is unreachable'}`);
  }
  if (res.headers.get('x-fluxra-contract-budget') === 'exhausted') {
    await res.arrayBuffer().catch(() => undefined);
    throw new TransportError('the request budget is exhausted (raise --budget): requests were stopped and the run is incomplete');
  }
  const text = await res.text().catch((err: Error) => {
    throw new TransportError(`${req.method} ${req.url.split('?')[0]}: the answer broke off (${err.message})`);
  });
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  let body: unknown = text === '' ? undefined : text;
  if (text && (headers['content-type'] ?? '').includes('json')) {
    try {
      body = JSON.parse(text);
    } catch { /* stays text: the differ reports the type */ }
  }
  return { status: res.status, headers, body, text };
}

/** A fresh fake in this process, on loopback; its self-check violations are collected, not printed. */
export async function fakeTransport(timeoutMs: number): Promise<Transport> {
  const seen: ResponseViolation[] = [];
  const fake = await startFake({ port: 0, host: '127.0.0.1', docs: false, onResponseViolation: (v) => seen.push(v) });
  return {
    side: 'fake',
    tolerance: 2_000,
    send: (req) => exchange(fake.url, req, timeoutMs),
    violations: () => seen.splice(0),
    close: () => fake.close(),
  };
}

export interface TargetOptions { url: URL; operations: Operation[]; budget: number; concurrency: number; timeoutMs: number }

/** The target through the suite's governor: budget, concurrency and Retry-After hold for the whole run. */
export async function targetTransport(options: TargetOptions) {
  const upstream = options.url.href.replace(/\/+$/, '');
  const governor = await startGovernor({ upstream, operations: options.operations, budget: options.budget, concurrency: options.concurrency });
  const transport: Transport = {
    side: 'target',
    // A remote clock may be minutes off ours; the in-order checks within the target's own answers stay tight.
    tolerance: 300_000,
    send: (req) => exchange(governor.url, { ...req, headers: { ...req.headers, 'x-fluxra-contract-op': req.operationId } }, options.timeoutMs),
    violations: () => [],
    close: () => governor.close(),
  };
  return { transport, stats: governor.stats, budgetExhausted: governor.budgetExhausted };
}

/** Preflight: the target answers GET /health at all (a wrong URL fails here, once, not in every scenario). */
export async function preflight(transport: Transport, shown: string): Promise<void> {
  try {
    await transport.send({ operationId: 'getHealth', method: 'GET', url: '/health', headers: {} });
  } catch (err) {
    throw new TransportError(`the target ${shown} does not answer GET /health: ${(err as Error).message}`);
  }
}

/** Everything parity writes goes through here: the run's own secrets first, then the suite's patterns. */
export function redactor(secrets: () => Iterable<string>) {
  return (text: string) => {
    let out = text;
    const list = [...secrets()].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
    for (const s of list) if (out.includes(s)) out = out.split(s).join('[REDACTED]');
    return redact(out);
  };
}
