// A deviant server as its own process, for test/contract-kit.test.ts (so a misbehaving server never
// shares the test worker's event loop, and a hang stays a real hang):
//   node --import tsx test/deviant-servers.ts <kind> [--upstream URL] [--secrets FILE]
// <kind>: a deviation of contract-servers.ts `deviants()` (or "faithful"), as a proxy in front of the
// fake at --upstream; or a server that is not the Fluxra API: "listing" (a directory-listing web server:
// 200 text/html for every path) or "not-found" (404 for every path). Prints "listening on URL".
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { deviants, startProxy } from './contract-servers.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { upstream: { type: 'string' }, secrets: { type: 'string' } } });
const kind = positionals[0];

const LISTING = '<!DOCTYPE html><html><head><title>Directory listing for /</title></head><body><h1>Directory listing for /</h1><ul><li><a href="health/">health/</a></li><li><a href="index.html">index.html</a></li></ul></body></html>';

async function standalone(status: number, type: string, body: string) {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function main() {
  if (kind === 'listing') return standalone(200, 'text/html; charset=utf-8', LISTING);
  if (kind === 'not-found') return standalone(404, 'text/html; charset=utf-8', '<html><body><h1>404 Not Found</h1></body></html>');
  if (!values.upstream) throw new Error(`${kind}: --upstream URL (the fake) is required`);
  const deviation = kind === 'faithful' ? undefined : deviants()[kind];
  if (kind !== 'faithful' && !deviation) throw new Error(`unknown kind "${kind}" (deviants: ${Object.keys(deviants()).join(', ')}, listing, not-found, faithful)`);
  return startProxy(values.upstream, deviation, values.secrets);
}

main().then(
  ({ url }) => {
    process.stdout.write(`listening on ${url}\n`);
    process.on('SIGTERM', () => process.exit(0));
  },
  (err: Error) => {
    process.stderr.write(`deviant-servers: ${err.message}\n`);
    process.exit(2);
  },
);
