// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) of journal entries; bodies already redacted,
// truncated ones exported as empty text with a comment saying how large they were.
import type { JournalEntry } from './journal-entry.ts';

const STATUS_TEXT: Record<number, string> = { 0: '', 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout', 409: 'Conflict', 413: 'Payload Too Large', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

const headerList = (h: Record<string, string>) => Object.entries(h).map(([name, value]) => ({ name, value }));
const text = (body: unknown) => (body === null || body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body));
const truncation = (part: JournalEntry['request']) => (part.truncated ? { comment: `body of ${part.body_bytes} bytes not kept (journal body limit)` } : {});

export function toHar(entries: JournalEntry[], baseUrl: string, version: string) {
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
            ...(reqText || e.request.truncated
              ? { postData: { mimeType: e.request.headers['content-type'] ?? 'application/json', text: reqText, ...truncation(e.request) } }
              : {}),
            headersSize: -1,
            bodySize: e.request.body_bytes,
          },
          response: {
            status: e.status,
            statusText: STATUS_TEXT[e.status] ?? '',
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: headerList(e.response.headers),
            content: { size: e.response.body_bytes, mimeType: e.response.headers['content-type'] ?? '', text: resText, ...truncation(e.response) },
            redirectURL: '',
            headersSize: -1,
            bodySize: e.status === 0 ? -1 : e.response.body_bytes,
          },
          cache: {},
          timings: { send: 0, wait: e.duration_ms, receive: 0 },
          comment: `tenant ${e.tenant}; operation ${e.operation_id ?? '-'}`,
        };
      }),
    },
  };
}
