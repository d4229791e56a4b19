// One journal entry, made from a finished exchange (src/http/stages/capture.ts): secrets redacted
// (redact.ts), and a body larger than the journal's body limit kept only as its size (`truncated: true`),
// so one large request costs the journal a few hundred bytes, not a megabyte. `bytes` is what the entry
// costs the journal's budget: about the size of its JSON, counted from the bodies' sizes on the wire
// (no serialisation needed).
import type { Exchange } from '../http/stages/capture.ts';
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

const headerBytes = (headers: Record<string, string>) => Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 6, 0);

export function buildEntry(exchange: Exchange & { tenant: string }, seq: number, bodyLimitBytes: number): { entry: JournalEntry; bytes: number } {
  const { req, res } = exchange;
  const requestBytes = res.locals.requestBodyBytes ?? 0;
  // A body that was never read (an unknown route, a refused credential) was never parsed: nothing to keep.
  const requestKept = req.body !== undefined && requestBytes <= bodyLimitBytes;
  const responseKept = exchange.responseBody !== undefined && exchange.responseBytes <= bodyLimitBytes;
  const request: JournalPart = {
    headers: redactHeaders(req.headers),
    body: requestKept ? redactBody(req.body, REQUEST_SECRET_FIELDS) : null,
    body_bytes: requestBytes,
    truncated: requestBytes > bodyLimitBytes,
  };
  const response: JournalPart = {
    headers: redactHeaders(res.getHeaders() as Record<string, unknown>),
    body: responseKept ? redactBody(parseCaptured(exchange.responseBody!, String(res.getHeader('content-type') ?? '')), RESPONSE_SECRET_FIELDS) : null,
    body_bytes: exchange.responseBytes,
    truncated: !responseKept && exchange.responseBytes > 0,
  };
  const entry: JournalEntry = {
    seq,
    tenant: exchange.tenant,
    operation_id: exchange.operationId,
    method: exchange.method,
    path: exchange.path,
    status: exchange.status,
    duration_ms: Math.round(exchange.durationMs * 10) / 10,
    started_at: (res.locals.startedAt ?? new Date()).toISOString(),
    request,
    response,
  };
  const bytes =
    ENTRY_OVERHEAD_BYTES +
    exchange.path.length +
    headerBytes(request.headers) +
    headerBytes(response.headers) +
    (requestKept ? requestBytes : 0) +
    (responseKept ? exchange.responseBytes : 0);
  return { entry, bytes };
}
