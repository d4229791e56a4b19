// contracts/lib/forward.ts, the governor's HTTP client: against real servers on 127.0.0.1, it passes on what
// fetch passed on (status, headers, body as sent), follows no redirect, reuses its connections, and turns an
// abort, a refused connection and an answer cut in the middle into errors, never into a short answer.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForwarder } from '../contracts/lib/forward.ts';

interface Seen { method: string; headers: IncomingMessage['headers']; body: string; port: number }
let server: Server;
let base: string;
const seen: Seen[] = [];
const forwarder = createForwarder();

function handle(req: IncomingMessage, res: ServerResponse, body: string) {
  seen.push({ method: req.method!, headers: req.headers, body, port: req.socket.remotePort! });
  if (req.url === '/repeated') {
    res.writeHead(200, [['X-Thing', 'a'], ['x-thing', 'b'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['Content-Type', 'text/plain']]);
    return res.end('ok');
  }
  if (req.url === '/redirect') return res.writeHead(302, { location: '/elsewhere' }).end();
  if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000).unref();
  if (req.url === '/cut') {
    res.writeHead(200, { 'content-length': '100' });
    res.write('only part');
    return void setTimeout(() => res.socket?.destroy(), 20);
  }
  res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ echo: body }));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c)).on('end', () => handle(req, res, body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  forwarder.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const signal = () => AbortSignal.timeout(10_000);

describe('createForwarder().forward', () => {
  it('sends the method, the headers and the body with its Content-Length, and hands back status, headers and body', async () => {
    const body = Buffer.from('{"content":"héllo"}');
    const res = await forwarder.forward(`${base}/echo?x=1`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer t' }, body, signal: signal() });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.payload.toString('utf8'))).toEqual({ echo: '{"content":"héllo"}' });
    const last = seen.at(-1)!;
    expect(last.method).toBe('POST');
    expect(last.headers['content-length']).toBe(String(body.length));
    expect(last.headers.authorization).toBe('Bearer t');
  });

  it('a POST without a body says Content-Length: 0, a GET says no length', async () => {
    await forwarder.forward(`${base}/echo`, { method: 'POST', headers: {}, signal: signal() });
    expect(seen.at(-1)!.headers['content-length']).toBe('0');
    await forwarder.forward(`${base}/echo`, { method: 'GET', headers: {}, signal: signal() });
    expect(seen.at(-1)!.headers['content-length']).toBeUndefined();
    expect(seen.at(-1)!.headers['transfer-encoding']).toBeUndefined();
  });

  it('joins a repeated header with ", " (RFC 9110 5.3) and keeps each Set-Cookie apart', async () => {
    const res = await forwarder.forward(`${base}/repeated`, { method: 'GET', headers: {}, signal: signal() });
    expect(res.headers['x-thing']).toBe('a, b');
    expect(res.setCookie).toEqual(['a=1', 'b=2']);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('follows no redirect: the 302 and its Location are the answer', async () => {
    const res = await forwarder.forward(`${base}/redirect`, { method: 'GET', headers: {}, signal: signal() });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/elsewhere');
  });

  it('keeps the connection alive: requests one after another use one socket', async () => {
    const before = seen.length;
    for (let i = 0; i < 3; i++) await forwarder.forward(`${base}/echo`, { method: 'GET', headers: {}, signal: signal() });
    expect(new Set(seen.slice(before).map((s) => s.port)).size).toBe(1);
  });

  it('a timeout rejects with the signal\'s TimeoutError; an abort with its reason', async () => {
    await expect(forwarder.forward(`${base}/slow`, { method: 'GET', headers: {}, signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'TimeoutError' });
    const stop = new AbortController();
    const pending = forwarder.forward(`${base}/slow`, { method: 'GET', headers: {}, signal: stop.signal });
    setTimeout(() => stop.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    const already = new AbortController();
    already.abort();
    await expect(forwarder.forward(`${base}/echo`, { method: 'GET', headers: {}, signal: already.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('an answer cut in the middle is an error, not a short body', async () => {
    await expect(forwarder.forward(`${base}/cut`, { method: 'GET', headers: {}, signal: signal() })).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('a refused connection rejects with its code', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    await expect(forwarder.forward(`http://127.0.0.1:${port}/`, { method: 'GET', headers: {}, signal: signal() })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
