// The request journal: a bounded ring buffer of recent exchanges per tenant, with every secret
// redacted before it is stored (a journal is for reading and sharing; it must never hold a credential).
// The exchanges come from the capture stage (src/http/stages/capture.ts).
import type { Exchange } from '../http/stages/capture.ts';
import type { ControlTenants, On } from './tenants.ts';

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
  request: { headers: Record<string, string>; body: unknown };
  response: { headers: Record<string, string>; body: unknown };
}

export const REDACTED = '[REDACTED]';
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
const SECRET_FIELDS = new Set(['recovery_key', 'api_key', 'access_token', 'refresh_token']);

/** Keeps the scheme (it tells Basic from Bearer when debugging) and hides the credential. */
function redactHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : String(raw);
    const lower = name.toLowerCase();
    if (SECRET_HEADERS.has(lower)) {
      const scheme = /^(\w+)\s/.exec(value)?.[1];
      out[lower] = lower.endsWith('authorization') && scheme ? `${scheme} ${REDACTED}` : REDACTED;
    } else out[lower] = value;
  }
  return out;
}

function redactBody(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(redactBody);
  if (body && typeof body === 'object') {
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, SECRET_FIELDS.has(k) && typeof v === 'string' ? REDACTED : redactBody(v)]));
  }
  return body;
}

/** A response body as captured on the wire: JSON is parsed (so it can be redacted), text kept as text. */
function parseCaptured(text: string | undefined, contentType: string | undefined): unknown {
  if (!text) return null;
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function createRing<T>(capacity: number) {
  const items: T[] = [];
  return {
    capacity,
    push(item: T) {
      items.push(item);
      if (items.length > capacity) items.splice(0, items.length - capacity);
    },
    list: () => [...items],
    clear: () => void (items.length = 0),
    get size() {
      return items.length;
    },
  };
}
type Ring<T> = ReturnType<typeof createRing<T>>;

const STATUS_TEXT: Record<number, string> = { 0: '', 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) of journal entries; bodies already redacted. */
function toHar(entries: JournalEntry[], baseUrl: string, version: string) {
  const headerList = (h: Record<string, string>) => Object.entries(h).map(([name, value]) => ({ name, value }));
  const text = (body: unknown) => (body === null || body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body));
  return {
    log: {
      version: '1.2',
      creator: { name: 'fluxra-fake', version },
      entries: entries.map((e) => {
        const url = new URL(e.path, baseUrl);
        const reqText = text(e.request.body);
        const resText = text(e.response.body);
        return {
          startedDateTime: e.started_at,
          time: e.duration_ms,
          request: {
            method: e.method,
            url: url.href,
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: headerList(e.request.headers),
            queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
            ...(reqText ? { postData: { mimeType: e.request.headers['content-type'] ?? 'application/json', text: reqText } } : {}),
            headersSize: -1,
            bodySize: Buffer.byteLength(reqText),
          },
          response: {
            status: e.status,
            statusText: STATUS_TEXT[e.status] ?? '',
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: headerList(e.response.headers),
            content: { size: Buffer.byteLength(resText), mimeType: e.response.headers['content-type'] ?? '', text: resText },
            redirectURL: '',
            headersSize: -1,
            bodySize: e.status === 0 ? -1 : Buffer.byteLength(resText),
          },
          cache: {},
          timings: { send: 0, wait: e.duration_ms, receive: 0 },
          comment: `tenant ${e.tenant}; operation ${e.operation_id ?? '-'}`,
        };
      }),
    },
  };
}

export function createJournalControl(tenants: ControlTenants, capacity: number, version: string) {
  let seq = 0;
  const rings = tenants.perTenant(() => createRing<JournalEntry>(capacity));
  const journal = {
    /** Entries held for a tenant. */
    size: (id: string) => rings.peek(id)?.size ?? 0,
    /** Records an API exchange (one that reached a tenant; control-plane and docs requests never do). */
    record(exchange: Exchange) {
      // A tenant deleted while its request ran gets no new journal.
      if (exchange.tenant === undefined || !tenants.tenancy.has(exchange.tenant)) return;
      const { res } = exchange;
      rings.of(exchange.tenant).push({
        seq: ++seq,
        tenant: exchange.tenant,
        operation_id: exchange.operationId,
        method: exchange.method,
        path: exchange.path,
        status: exchange.status,
        duration_ms: Math.round(exchange.durationMs * 10) / 10,
        started_at: (res.locals.startedAt ?? new Date()).toISOString(),
        request: { headers: redactHeaders(exchange.req.headers), body: redactBody(exchange.req.body ?? null) },
        response: {
          headers: redactHeaders(res.getHeaders() as Record<string, unknown>),
          body: redactBody(parseCaptured(exchange.responseBody, String(res.getHeader('content-type') ?? ''))),
        },
      });
    },
    /** Entries oldest first; `tenant: '*'` merges every tenant's journal. */
    list(filter: { operation_id?: string; tenant?: string; limit?: number } = {}, on: On = {}) {
      const ids = filter.tenant === '*' ? rings.ids() : [filter.tenant === undefined ? tenants.idOf(on) : tenants.checkId(filter.tenant)];
      let entries = ids.flatMap((t) => rings.peek(t)?.list() ?? []).sort((a, b) => a.seq - b.seq);
      if (filter.operation_id) entries = entries.filter((e) => e.operation_id === filter.operation_id);
      if (filter.limit !== undefined) entries = entries.slice(-filter.limit);
      return { entries, capacity };
    },
    har(filter: { operation_id?: string; tenant?: string } = {}, on: On & { baseUrl?: string } = {}) {
      return toHar(journal.list(filter, on).entries, on.baseUrl ?? 'http://127.0.0.1', version);
    },
    clear(on: On = {}) {
      const ring = rings.peek(tenants.idOf(on));
      const removed = ring?.size ?? 0;
      ring?.clear();
      return { removed };
    },
  };
  return journal;
}
