// The one error writer. Every error leaves the fake through here, in the documented envelope
// {"error":{"code","message"}}, unless the plain-text quirk is on for auth failures (docs, conventions:
// "some auth-middleware failures answer with plain text, not JSON").
import type { Response } from 'express';
import { ApiError, envelope } from './errors.ts';

export interface ErrorWriteOptions {
  plainText401?: boolean;
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { type?: string; status?: number; statusCode?: number; message?: string };
  // body-parser errors: malformed JSON, too large, bad charset. Bad input is never a 500.
  if (e?.type === 'entity.parse.failed') return new ApiError('INVALID_REQUEST', 'malformed JSON body');
  if (e?.type === 'entity.too.large') return new ApiError('INVALID_REQUEST', 'request body too large (limit 1 MiB)', {}, 413);
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return new ApiError('INVALID_REQUEST', 'unsupported body encoding');
  if (e?.type === 'request.aborted') return new ApiError('INVALID_REQUEST', 'request aborted');
  const status = e?.status ?? e?.statusCode;
  if (status && status >= 400 && status < 500) return new ApiError('INVALID_REQUEST', e.message ?? 'bad request', {}, status);
  return new ApiError('INTERNAL_ERROR', 'internal error');
}

export function writeError(res: Response, err: ApiError, options: ErrorWriteOptions = {}) {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(err.status);
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  if (err.status === 401 && options.plainText401) {
    res.type('text/plain').send('Unauthorized');
    return;
  }
  res.json(envelope(err.code, err.message));
}
