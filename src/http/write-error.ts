// The one error writer. Every error leaves the fake through here, in the documented envelope
// {"error":{"code","message"}} (src/errors.ts), whichever plane raised it, unless the plain-text quirk is
// on for auth failures (docs, conventions: "some auth-middleware failures answer with plain text, not
// JSON"). Errors that Node's HTTP parser raises before any stage sees a request are rendered here too, as
// raw HTTP (client-error.ts).
import { ApiError, envelope } from '../errors.ts';
import type { ExchangeRequest, ExchangeResponse } from './locals.ts';
import { respond, respondJson } from './respond.ts';

export interface ErrorWriteOptions {
  plainText401?: boolean;
}

/** Anything thrown becomes an ApiError: body-parser's errors are bad input (never a 500). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { type?: string; status?: number; statusCode?: number; message?: string; limit?: number };
  if (e?.type === 'entity.parse.failed') return new ApiError('INVALID_REQUEST', 'malformed JSON body');
  if (e?.type === 'entity.too.large') return new ApiError('INVALID_REQUEST', `request body too large (limit ${formatBytes(e.limit)})`, {}, 413);
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return new ApiError('INVALID_REQUEST', 'unsupported body encoding');
  if (e?.type === 'request.aborted') return new ApiError('INVALID_REQUEST', 'request aborted');
  const status = e?.status ?? e?.statusCode;
  if (status && status >= 400 && status < 500) return new ApiError('INVALID_REQUEST', e.message ?? 'bad request', {}, status);
  return new ApiError('INTERNAL_ERROR', 'internal error');
}

const formatBytes = (n: number | undefined) => (n === undefined ? 'unknown' : n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`);

export function writeError(req: ExchangeRequest, res: ExchangeResponse, err: ApiError, options: ErrorWriteOptions = {}) {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (err.status === 401 && options.plainText401) respond(req, res, err.status, err.headers, 'text/plain', 'Unauthorized');
  else respondJson(req, res, err.status, err.headers, envelope(err.code, err.message));
}

const REASON: Record<number, string> = { 400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 413: 'Payload Too Large', 431: 'Request Header Fields Too Large' };

/** The same envelope as raw HTTP/1.1, for a socket that never became a request (the connection closes). */
export function rawErrorResponse(err: ApiError): string {
  const body = JSON.stringify(envelope(err.code, err.message));
  return `HTTP/1.1 ${err.status} ${REASON[err.status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
