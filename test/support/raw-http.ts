// Raw HTTP/1.1 over a socket, for requests no client library will send (malformed, smuggled, slow):
// writes the bytes as given (optionally in timed pieces) and reads until the server closes the
// connection or a full response has arrived.
import { connect } from 'node:net';

export interface RawResponse {
  /** 0 when the connection closed without a response */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** every byte received (pipelined responses included) */
  text: string;
}

export function parseRaw(text: string): RawResponse {
  const m = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(text);
  if (!m) return { status: 0, headers: {}, body: '', text };
  const headers: Record<string, string> = {};
  for (const line of m[2].split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = m[3];
  const length = headers['content-length'];
  if (length !== undefined) body = Buffer.from(body).subarray(0, Number(length)).toString();
  return { status: Number(m[1]), headers, body, text };
}

/** Sends `parts` (with `pauseMs` between them) and resolves with what came back. */
export function rawRequest(url: string, parts: (string | Buffer)[] | string | Buffer, options: { pauseMs?: number; timeoutMs?: number } = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  const list = Array.isArray(parts) ? parts : [parts];
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseRaw(Buffer.concat(chunks).toString('latin1')));
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 5_000);
    socket.on('data', (d) => {
      chunks.push(d);
      // One complete response with a Content-Length is enough (the server may keep the connection).
      const parsed = parseRaw(Buffer.concat(chunks).toString('latin1'));
      const length = parsed.headers['content-length'];
      if (parsed.status && length !== undefined && Buffer.byteLength(parsed.text.slice(parsed.text.indexOf('\r\n\r\n') + 4), 'latin1') >= Number(length) && !options.pauseMs) {
        setTimeout(finish, 20);
      }
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', async () => {
      for (const [i, part] of list.entries()) {
        if (i > 0 && options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
        if (done || socket.destroyed) return;
        socket.write(part);
      }
    });
  });
}
