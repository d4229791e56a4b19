// One request from the governor (contracts/lib/governor.ts) to the target, on Node's own HTTP client.
// It was fetch: on loopback, fetch's web streams and header objects cost the governor more CPU than the
// fake spent answering (CPU profile of `fluxra-contract` against its own fake), and the governor shares
// that process with the fake. What fetch did that a proxy needs is done here: keep-alive connections,
// no redirect followed, an abort signal (timeout or the run's stop) cutting the exchange, Content-Length
// of the body, repeated response headers joined with ", " (RFC 9110 5.3) and Set-Cookie kept apart.
import http from 'node:http';
import https from 'node:https';

export interface ForwardRequest {
  method: string;
  /** Lower-case names; hop-by-hop ones already removed. */
  headers: Record<string, string>;
  body?: Buffer;
  signal: AbortSignal;
}

export interface Forwarded {
  status: number;
  /** Lower-case names, each once: repeated ones joined with ", ", Set-Cookie as a list. */
  headers: Record<string, string>;
  setCookie: string[];
  payload: Buffer;
}

/** Methods that carry no body by definition: no Content-Length: 0 is sent for them (as fetch does). */
const NO_BODY = new Set(['GET', 'HEAD']);

export function createForwarder() {
  // An idle connection is closed after 4 s, before a Node server's default keep-alive of 5 s closes it
  // under a request that reuses it (the ECONNRESET a loaded machine makes likelier); undici does the same.
  const agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: 4000 }),
    'https:': new https.Agent({ keepAlive: true, timeout: 4000 }),
  };

  function forward(target: string, req: ForwardRequest): Promise<Forwarded> {
    const url = new URL(target);
    const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
    const headers: Record<string, string> = { ...req.headers };
    if (req.body) headers['content-length'] = String(req.body.length);
    else if (!NO_BODY.has(req.method.toUpperCase())) headers['content-length'] = '0';
    return new Promise<Forwarded>((resolve, reject) => {
      if (req.signal.aborted) return reject(req.signal.reason);
      const send = protocol === 'https:' ? https.request : http.request;
      const outgoing = send(url, { method: req.method, headers, agent: agents[protocol] }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('end', () => {
          req.signal.removeEventListener('abort', onAbort);
          const out: Record<string, string> = {};
          const setCookie: string[] = [];
          const raw = res.rawHeaders;
          for (let i = 0; i < raw.length; i += 2) {
            const name = raw[i].toLowerCase();
            if (name === 'set-cookie') setCookie.push(raw[i + 1]);
            else out[name] = name in out ? `${out[name]}, ${raw[i + 1]}` : raw[i + 1];
          }
          resolve({ status: res.statusCode ?? 0, headers: out, setCookie, payload: Buffer.concat(chunks) });
        });
        res.once('error', fail);
        // Cut mid-answer without an 'error' (the peer closed): still a failure, never a short body.
        res.once('close', () => res.complete || fail(Object.assign(new Error('the connection closed mid-answer'), { code: 'ECONNRESET' })));
      });
      function fail(err: Error) {
        req.signal.removeEventListener('abort', onAbort);
        reject(req.signal.aborted ? req.signal.reason : err);
      }
      function onAbort() {
        outgoing.destroy(req.signal.reason instanceof Error ? req.signal.reason : new Error(String(req.signal.reason)));
      }
      req.signal.addEventListener('abort', onAbort, { once: true });
      outgoing.once('error', fail);
      outgoing.end(req.body);
    });
  }

  return {
    forward,
    /** Closes the kept-alive connections. */
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
