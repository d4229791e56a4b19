// Preflight, before any test: the target answers at all, and looks like the Fluxra API (GET /health as
// openapi.yaml describes it), else ONE line naming the URL and exit 2, no test run. A wrong URL, a
// server that is down, a DNS or TLS problem, a 404 server or a directory listing are diagnosed here once,
// within seconds, instead of as hundreds of failures. Both requests go through the governor, so they count
// in the budget, and straight to the target (never through Prism).
import type { SpecValidators } from '../../src/spec/validators.ts';
import { quoteBody } from './redact.ts';

/** Preflight failed: the run cannot start (exit 2). */
export class PreflightError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreflightError';
  }
}


const CAUSES: [RegExp, string][] = [
  [/ECONNREFUSED/, 'connection refused (nothing listens there)'],
  [/ENOTFOUND|EAI_NONAME/, 'host not found (DNS)'],
  [/EAI_AGAIN/, 'DNS lookup failed (temporary)'],
  [/ECONNRESET|UND_ERR_SOCKET|other side closed/i, 'the connection was closed without an answer'],
  [/EHOSTUNREACH|ENETUNREACH/, 'host unreachable'],
  [/CERT|SSL|TLS|self[- ]signed|certificate/i, 'TLS failed'],
];

function explain(detail: string) {
  for (const [re, text] of CAUSES) if (re.test(detail)) return `${text}: ${detail}`;
  return detail;
}

async function probe(governor: string, path: string, operationId: string, timeoutMs: number, shown: string) {
  let res: Response;
  try {
    res = await fetch(`${governor}${path}`, {
      headers: { 'x-fluxra-contract-direct': '1', 'x-fluxra-contract-op': operationId, 'x-fluxra-contract-timeout': String(timeoutMs), accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') throw new PreflightError(`${shown} does not answer: no answer to GET ${path} within ${timeoutMs / 1000} s (--preflight-timeout)`);
    throw new PreflightError(`${shown} does not answer: ${(err as Error).message}`);
  }
  const text = await res.text().catch(() => '');
  const governed = res.headers.get('x-fluxra-contract-governor');
  if (governed === 'upstream-error') throw new PreflightError(`${shown} does not answer: ${explain(text.replace(/^fluxra-contract: (upstream unreachable: )?/, ''))}`);
  if (governed === 'timeout') throw new PreflightError(`${shown} does not answer: no answer to GET ${path} within ${timeoutMs / 1000} s (--preflight-timeout)`);
  return { res, text };
}

export interface PreflightResult {
  /** The target serves the fake's control plane (GET /__fake/openapi.yaml is 200): fake-only tests can run. */
  controlPlane: boolean;
  version?: string;
}

/** `validators` is called only once a JSON answer is there to check (a target that is not there needs no spec). */
/** `timeoutMs`: --preflight-timeout (default 4 s, so a target that does not answer is diagnosed within 5 s);
 * not the run's --timeout, as a short one (to find slow operations) must not fail a busy target here. */
export async function preflight(options: { governor: string; shown: string; timeoutMs: number; validators: () => SpecValidators; budgetLeft: () => boolean }): Promise<PreflightResult> {
  const { governor, shown, timeoutMs } = options;
  const { res, text } = await probe(governor, '/health', 'getHealth', timeoutMs, shown);
  if (res.headers.get('x-fluxra-contract-budget') === 'exhausted') throw new PreflightError(`the request budget is spent before the first test (raise --budget)`);
  const type = res.headers.get('content-type') ?? '';
  let body: unknown;
  try {
    body = type.includes('json') ? JSON.parse(text) : undefined;
  } catch { /* reported below */ }
  const validators = body === undefined ? undefined : options.validators();
  const op = validators?.byId.get('getHealth');
  const issues = validators && op ? validators.response(op, res.status, type, body) : [];
  if (res.status !== 200 || body === undefined || issues.length) {
    const got = `GET /health answered ${res.status} ${type.split(';')[0] || 'without a content type'}${body === undefined ? '' : ` ${quoteBody(body, 120)}`}`;
    const why = issues.length ? ` (${issues.map((i) => i.message).slice(0, 2).join('; ')})` : '';
    throw new PreflightError(`${shown} does not look like the Fluxra API: ${got}${why}; expected 200 application/json {status, timestamp, version} (openapi.yaml, getHealth)`);
  }
  // The control plane probe: a fake answers 200; anything else means "no control plane", never an error.
  let controlPlane = false;
  if (options.budgetLeft()) {
    const cp = await probe(governor, '/__fake/openapi.yaml', 'probeControlPlane', timeoutMs, shown).catch(() => undefined);
    controlPlane = cp?.res.status === 200 && !cp.res.headers.get('x-fluxra-contract-budget');
  }
  return { controlPlane, version: (body as { version?: string }).version };
}
