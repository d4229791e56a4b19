// Stage 1, capture: times every exchange, writes the one-line request log, and hands the finished
// exchange (with the response body as sent, bounded) to whoever journals it. 'close' also sees exchanges
// whose connection was dropped before an answer.
// What it hands over is what is already at hand, never reworked per request: the request's header object
// and parsed body as they are, the response's headers, and the response body as the chunks that were
// written (most answers are one string). Whoever keeps the exchange decides what to copy, parse and
// redact, and when (the journal does it when it is read: src/control/journal-entry.ts). With neither a
// logger nor a journal, the stage is a plain `next()`.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { ExchangeResponse, Stage } from '../locals.ts';

export interface Exchange {
  /** The tenant's id, for API requests; undefined before tenant resolution (control plane, docs, 404s). */
  tenant: string | undefined;
  plane: string | undefined;
  operationId: string | null;
  method: string;
  path: string;
  /** 0 when the connection was dropped before an answer */
  status: number;
  durationMs: number;
  /** When the request arrived on the tenant's clock (ms since the epoch), for API requests. */
  startedAtMs: number | undefined;
  /** The request's headers as Node parsed them (not a copy: read, never change). */
  requestHeaders: IncomingHttpHeaders;
  /** The parsed request body; undefined when it was never read (an unknown route, refused credentials). */
  requestBody: unknown;
  /** Bytes of the request body as received (0 when it was never read). */
  requestBytes: number;
  responseHeaders: OutgoingHttpHeaders;
  /** The response body as written, in order (undefined when over the capture limit). */
  responseChunks?: (string | Buffer)[];
  /** Bytes of the response body as sent, also past the capture limit. */
  responseBytes: number;
}

/** The captured response body as one UTF-8 string. */
export const responseText = (chunks: readonly (string | Buffer)[]) =>
  chunks.length === 1 && typeof chunks[0] === 'string' ? chunks[0] : chunks.map((c) => (typeof c === 'string' ? c : c.toString('utf8'))).join('');

export interface CaptureOptions {
  captureLimitBytes: number;
  logger?: (line: string) => void;
  onExchange?: (exchange: Exchange) => void;
}

type Write = (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
type End = (chunk?: unknown, encoding?: unknown, callback?: unknown) => ExchangeResponse;

export function captureStage(options: CaptureOptions): Stage {
  const { captureLimitBytes, logger, onExchange } = options;
  if (!logger && !onExchange) return (_req, _res, next) => next();
  return (req, res, next) => {
    const started = performance.now();
    let chunks: (string | Buffer)[] | undefined = onExchange ? [] : undefined;
    let captured = 0;
    const capture = (chunk: unknown, encoding: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      // Strings are kept as they are when UTF-8 (what Express writes); anything else as its bytes.
      const utf8 = typeof chunk === 'string' && (typeof encoding !== 'string' || encoding === 'utf8' || encoding === 'utf-8');
      const piece = utf8 ? chunk : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      captured += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;
      if (!chunks) return;
      if (captured > captureLimitBytes) chunks = undefined;
      else chunks.push(piece);
    };
    const write = res.write as Write;
    const end = res.end as End;
    res.write = function (this: ExchangeResponse, chunk: unknown, encoding?: unknown, callback?: unknown) {
      capture(chunk, encoding);
      return write.call(this, chunk, encoding, callback);
    } as ExchangeResponse['write'];
    res.end = function (this: ExchangeResponse, chunk?: unknown, encoding?: unknown, callback?: unknown) {
      capture(chunk, encoding);
      return end.call(this, chunk, encoding, callback);
    } as ExchangeResponse['end'];
    res.once('close', () => {
      const durationMs = performance.now() - started;
      const operationId = res.locals.operationId ?? null;
      const status = res.writableFinished ? res.statusCode : 0;
      if (logger && !res.locals.quietLog) logger(`${req.method} ${req.originalUrl ?? req.url} ${operationId ?? '-'} ${status || 'dropped'} ${durationMs.toFixed(1)}ms`);
      if (!onExchange) return;
      // Whatever the journal does with the exchange, it runs in a listener outside the request's own
      // error handling: a throw here would be an uncaught exception that ends the process.
      try {
        onExchange({
          tenant: res.locals.tenant?.id,
          plane: res.locals.plane,
          operationId,
          method: req.method,
          path: req.originalUrl ?? req.url,
          status,
          durationMs,
          startedAtMs: res.locals.startedAtMs,
          requestHeaders: req.headers,
          requestBody: req.body,
          requestBytes: res.locals.requestBodyBytes ?? 0,
          responseHeaders: res.getHeaders(),
          responseChunks: chunks,
          responseBytes: captured,
        });
      } catch (err) {
        console.error('[fluxra-fake] could not journal an exchange', err);
      }
    });
    next();
  };
}
