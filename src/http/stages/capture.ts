// Stage 1, capture: times every exchange, writes the one-line request log, and hands the finished
// exchange (with the response body as sent, bounded) to whoever journals it. 'close' also sees exchanges
// whose connection was dropped before an answer.
import type { Request, RequestHandler, Response } from 'express';

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
  req: Request;
  res: Response;
  /** The response body as sent (undefined when over the capture limit). */
  responseBody?: string;
  /** Bytes of the response body as sent, also past the capture limit. */
  responseBytes: number;
}

export interface CaptureOptions {
  captureLimitBytes: number;
  logger?: (line: string) => void;
  onExchange?: (exchange: Exchange) => void;
}

export function captureStage(options: CaptureOptions): RequestHandler {
  const { captureLimitBytes, logger, onExchange } = options;
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const chunks: Buffer[] = [];
    let captured = 0;
    const capture = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      captured += buf.length;
      if (captured <= captureLimitBytes) chunks.push(buf);
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.write = ((chunk: unknown, ...rest: unknown[]) => (capture(chunk, rest[0]), write(chunk, ...rest))) as Response['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => (capture(chunk, rest[0]), end(chunk, ...rest))) as Response['end'];
    res.once('close', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const operationId = res.locals.operationId ?? null;
      const status = res.writableFinished ? res.statusCode : 0;
      if (!res.locals.quietLog) logger?.(`${req.method} ${req.originalUrl} ${operationId ?? '-'} ${status || 'dropped'} ${durationMs.toFixed(1)}ms`);
      // Whatever the journal does with the exchange, it runs in a listener outside the request's own
      // error handling: a throw here would be an uncaught exception that ends the process.
      try {
        onExchange?.({
          tenant: res.locals.tenant?.id,
          plane: res.locals.plane,
          operationId,
          method: req.method,
          path: req.originalUrl,
          status,
          durationMs,
          req,
          res,
          responseBody: captured > captureLimitBytes ? undefined : Buffer.concat(chunks).toString('utf8'),
          responseBytes: captured,
        });
      } catch (err) {
        console.error('[fluxra-fake] could not journal an exchange', err);
      }
    });
    next();
  };
}
