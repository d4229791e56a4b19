// One journal entry, made from a finished exchange (src/http/stages/capture.ts): secrets redacted
// (redact.ts), and a body larger than the journal's body limit kept only as its size (`truncated: true`),
// so one large request costs the journal a few hundred bytes, not a megabyte. The exchange is held as it
// came (`holdExchange`, nothing copied) and made into an entry when read (`buildEntry`): the journal costs
// a request almost nothing, and a reader pays for the entries it reads. `bytes` is what the entry costs
// the journal's budget: about the size of its JSON, counted from the sizes on the wire (no serialisation).
import { responseText, type Exchange } from '../http/stages/capture.ts';
import { redactBody, redactHeaders, REQUEST_SECRET_FIELDS, RESPONSE_SECRET_FIELDS } from './redact.ts';

export interface JournalPart {
  headers: Record<string, string>;
  /** null when there was no body, or when it was truncated */
  body: unknown;
  /** size of the body as sent */
  body_bytes: number;
  /** the body was larger than the journal's body limit and is not kept */
  truncated: boolean;
}

export interface JournalEntry {
  seq: number;
  tenant: string;
  operation_id: string | null;
  method: string;
  path: string;
  /** 0 when the connection was dropped (a fault) before a response was sent */
  status: number;
  duration_ms: number;
  /** on the tenant's clock, so a frozen run journals identical times */
  started_at: string;
  request: JournalPart;
  response: JournalPart;
}

/** What an entry costs besides its bodies and headers (field names, numbers, the path). */
const ENTRY_OVERHEAD_BYTES = 300;

/**
 * What the journal holds of an exchange until it is read: the pieces as the capture stage handed them
 * over (src/http/stages/capture.ts), minus bodies past the body limit. Nothing is copied, parsed or
 * redacted per request; `buildEntry` does that for the entries a reader asks for.
 */
export interface HeldExchange {
  seq: number;
  tenant: string;
  operationId: string | null;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  startedAtMs: number;
  requestHeaders: Exchange['requestHeaders'];
  /** undefined: never read, or past the body limit */
  requestBody: unknown;
  requestBytes: number;
  responseHeaders: Exchange['responseHeaders'];
  /** undefined: not captured, or past the body limit */
  responseChunks: Exchange['responseChunks'];
  responseBytes: number;
}

/** A response body as captured on the wire: JSON is parsed (so it can be redacted), text kept as text. */
function parseCaptured(text: string, contentType: string): unknown {
  if (!text) return null;
  if (contentType.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** About what a header object costs as JSON, counted without copying it. */
function headerBytes(headers: Record<string, unknown>): number {
  let n = 0;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    n += name.length + 6 + (typeof value === 'string' ? value.length : Array.isArray(value) ? value.join(', ').length : String(value).length);
  }
  return n;
}

/** The held part of a finished exchange and what it costs the journal's budget. */
// The parsed request body is held as the handler saw it: stores copy what they keep, and nothing changes
// a body once it was answered, so reading it later shows what was sent.
export function holdExchange(exchange: Exchange, tenant: string, seq: number, bodyLimitBytes: number, now = Date.now): { held: HeldExchange; bytes: number } {
  const { requestBytes, responseBytes } = exchange;
  // A body that was never read (an unknown route, a refused credential) was never parsed: nothing to keep.
  const requestKept = exchange.requestBody !== undefined && requestBytes <= bodyLimitBytes;
  const responseKept = exchange.responseChunks !== undefined && responseBytes <= bodyLimitBytes;
  const held: HeldExchange = {
    seq,
    tenant,
    operationId: exchange.operationId,
    method: exchange.method,
    path: exchange.path,
    status: exchange.status,
    durationMs: exchange.durationMs,
    startedAtMs: exchange.startedAtMs ?? now(),
    requestHeaders: exchange.requestHeaders,
    requestBody: requestKept ? exchange.requestBody : undefined,
    requestBytes,
    responseHeaders: exchange.responseHeaders,
    responseChunks: responseKept ? exchange.responseChunks : undefined,
    responseBytes,
  };
  const bytes =
    ENTRY_OVERHEAD_BYTES +
    exchange.path.length +
    headerBytes(exchange.requestHeaders) +
    headerBytes(exchange.responseHeaders) +
    (requestKept ? requestBytes : 0) +
    (responseKept ? responseBytes : 0);
  return { held, bytes };
}

/** The entry as readers see it: secrets redacted, the response body parsed back, truncation marked. */
export function buildEntry(h: HeldExchange, bodyLimitBytes: number): JournalEntry {
  const request: JournalPart = {
    headers: redactHeaders(h.requestHeaders),
    body: h.requestBody !== undefined ? redactBody(h.requestBody, REQUEST_SECRET_FIELDS) : null,
    body_bytes: h.requestBytes,
    truncated: h.requestBytes > bodyLimitBytes,
  };
  const contentType = String(h.responseHeaders['content-type'] ?? '');
  const response: JournalPart = {
    headers: redactHeaders(h.responseHeaders),
    body: h.responseChunks ? redactBody(parseCaptured(responseText(h.responseChunks), contentType), RESPONSE_SECRET_FIELDS) : null,
    body_bytes: h.responseBytes,
    truncated: !h.responseChunks && h.responseBytes > 0,
  };
  return {
    seq: h.seq,
    tenant: h.tenant,
    operation_id: h.operationId,
    method: h.method,
    path: h.path,
    status: h.status,
    duration_ms: Math.round(h.durationMs * 10) / 10,
    started_at: new Date(h.startedAtMs).toISOString(),
    request,
    response,
  };
}
