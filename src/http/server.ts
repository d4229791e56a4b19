// The HTTP server around an app: Node's timeouts set so a slow client is answered 408 in the envelope
// (client-error.ts) rather than holding a connection for Node's default five minutes, and a graceful
// close: stop accepting, let the requests in flight finish (each answered with `Connection: close`, so
// kept-alive connections end as soon as they are idle), and only after a grace period cut the rest.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { envelope } from '../errors.ts';
import { installClientErrorHandler } from './client-error.ts';

export interface ServerTimeouts {
  /** all request headers must have arrived after this long (408 otherwise) */
  headersTimeoutMs: number;
  /** the whole request, headers and body, must have arrived after this long (408 otherwise) */
  requestTimeoutMs: number;
  /** an idle kept-alive connection is closed after this long */
  keepAliveTimeoutMs: number;
}

export interface GracefulServer {
  server: Server;
  /** Requests being served right now. */
  inFlight(): number;
  /**
   * Stops accepting connections, waits for the requests in flight up to `graceMs`, then closes what is
   * left. Resolves once every connection is closed, with how many requests had to be cut.
   */
  close(graceMs: number): Promise<{ cut: number }>;
}

export function createGracefulServer(listener: RequestListener, timeouts: ServerTimeouts): GracefulServer {
  let closing = false;
  const active = new Set<ServerResponse>();
  const server = createServer(
    {
      requestTimeout: timeouts.requestTimeoutMs,
      // Node refuses a headers timeout longer than the request timeout.
      headersTimeout: Math.min(timeouts.headersTimeoutMs, timeouts.requestTimeoutMs),
      keepAliveTimeout: timeouts.keepAliveTimeoutMs,
      // How often Node looks for requests past their timeouts (its default, 30 s, would answer late).
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(timeouts.headersTimeoutMs / 4))),
      // Checked below instead, so the 400 comes in the envelope rather than Node's bare one.
      requireHostHeader: false,
    },
    (req: IncomingMessage, res: ServerResponse) => {
      active.add(res);
      res.once('close', () => {
        active.delete(res);
        // A kept-alive connection that just became idle is not waited for once closing has begun.
        if (closing) setImmediate(() => server.closeIdleConnections());
      });
      if (closing) res.shouldKeepAlive = false;
      // RFC 9112 3.2: an HTTP/1.1 request without Host is 400.
      if (req.httpVersion === '1.1' && req.headers.host === undefined) {
        const body = JSON.stringify(envelope('INVALID_REQUEST', 'an HTTP/1.1 request needs a Host header (RFC 9112 3.2)'));
        res.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' }).end(body);
        return;
      }
      listener(req, res);
    },
  );
  installClientErrorHandler(server);
  let closed: Promise<{ cut: number }> | undefined;
  let cut: number | undefined;
  const timers: NodeJS.Timeout[] = [];
  const cutAll = () => {
    cut ??= active.size;
    server.closeAllConnections();
  };
  return {
    server,
    inFlight: () => active.size,
    close(graceMs) {
      closed ??= new Promise((resolve) => {
        closing = true;
        // Answers not started yet end their connection too.
        for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
        server.close(() => {
          timers.forEach(clearTimeout);
          resolve({ cut: cut ?? 0 });
        });
        server.closeIdleConnections();
      });
      // A later call with a shorter grace period (a second signal) cuts sooner.
      timers.push(setTimeout(cutAll, graceMs));
      return closed;
    },
  };
}
