// `npm run bench`: throughput, latency and memory of the fake over real loopback HTTP.
// The fake runs as its own process pinned to CPU 0; autocannon runs here, pinned to CPU 1 (taskset),
// so load generator and server do not share a core. Each scenario: a short warm-up (discarded), then a
// measured run of fixed duration. Bounded: loopback only, a few seconds per scenario.
// Options (env): BENCH_DURATION seconds (default 5), BENCH_CONNECTIONS (default 20), BENCH_JSON=path.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import autocannon from 'autocannon';

const duration = Number(process.env.BENCH_DURATION ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const hasTaskset = (() => { try { execFileSync('taskset', ['-p', String(process.pid)]); return true; } catch { return false; } })();
if (hasTaskset) execFileSync('taskset', ['-cp', '1', String(process.pid)]);

const prefix = hasTaskset ? ['taskset', '-c', '0'] : [];
const server = spawn(prefix[0] ?? process.execPath, [...prefix.slice(1), ...(hasTaskset ? [process.execPath] : []), '--import', 'tsx', 'src/cli.ts', '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url: string = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout!.on('data', (d) => {
    out += d;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  server.once('exit', (code) => reject(new Error(`fake exited with ${code}`)));
});
const pid = server.pid!;
const memory = () => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMiB: +(kb('VmRSS') / 1024).toFixed(1), peakMiB: +(kb('VmHWM') / 1024).toFixed(1) };
};
const startRss = memory();

async function json(method: string, path: string, body?: unknown, auth?: string) {
  const res = await fetch(url + path, { method, headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json() as Promise<any>;
}
const reg = await json('POST', '/api/auth/register', { agent_name: 'bench-bot' });
const basicRecovery = `Basic ${Buffer.from(`${reg.agent_id}:${reg.recovery_key}`).toString('base64')}`;
const key = await json('POST', `/api/agents/${reg.agent_id}`, { name: 'bench' }, basicRecovery);
const basicKey = `Basic ${Buffer.from(`${reg.agent_id}:${key.api_key}`).toString('base64')}`;
const { access_token } = await json('POST', '/api/auth/token', { grant_type: 'client_credentials' }, basicKey);
const auth = `Bearer ${access_token}`;
const conv = await json('POST', '/api/conversations', { type: 'group', name: 'bench', members: [] }, auth);

interface Scenario { name: string; method: 'GET' | 'POST'; path: string; body?: unknown; authorization?: string }
const scenarios: Scenario[] = [
  { name: 'GET /health (public, no auth)', method: 'GET', path: '/health' },
  { name: 'GET /api/blocks (JWT verify, query validation)', method: 'GET', path: '/api/blocks', authorization: auth },
  { name: 'POST /api/messages (JWT, body validation, store, self-check)', method: 'POST', path: '/api/messages', body: { conversation_id: conv.conversation_id, content: 'benchmark message' }, authorization: auth },
  { name: 'POST /api/auth/token (hash compare, JWT sign)', method: 'POST', path: '/api/auth/token', body: { grant_type: 'client_credentials' }, authorization: basicKey },
  // Reads after the send scenario has stored thousands of messages: shows whether a page costs O(page) or O(all).
  { name: 'GET history page of 50 (after the sends above)', method: 'GET', path: `/api/conversations/${conv.conversation_id}/messages?limit=50`, authorization: auth },
  { name: 'GET /api/sync page of 50 (after the sends above)', method: 'GET', path: '/api/sync?limit=50', authorization: auth },
  { name: 'GET /api/conversations with unread counts (after the sends above)', method: 'GET', path: '/api/conversations', authorization: auth },
];

const run = (s: Scenario, seconds: number, conns: number) =>
  autocannon({
    url: url + s.path,
    method: s.method,
    connections: conns,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...(s.authorization ? { authorization: s.authorization } : {}) },
    body: s.body === undefined ? undefined : JSON.stringify(s.body),
  });

const rows = [];
let storedMessages = 0; // messages in the fake when the scenario ran (reads after the sends see them all)
for (const s of scenarios) {
  const warm = await run(s, 1, 5); // warm-up, discarded
  const r = await run(s, duration, connections);
  if (s.method === 'POST' && s.path === '/api/messages') storedMessages += warm['2xx'] + r['2xx'];
  rows.push({
    scenario: s.name,
    storedMessages,
    reqPerSec: Math.round(r.requests.average),
    p50ms: r.latency.p50,
    p99ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    ...memory(),
  });
}
server.kill('SIGTERM');

const meta = { date: new Date().toISOString(), node: process.version, cpus: execFileSync('nproc', ['--all']).toString().trim(), pinned: hasTaskset, duration, connections, startRssMiB: startRss.rssMiB };
console.log(`\nfluxra-fake benchmark: ${JSON.stringify(meta)}\n`);
console.log('| scenario | req/s | p50 ms | p99 ms | requests | non-2xx | errors | messages stored | RSS after MiB | peak RSS MiB |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.scenario} | ${r.reqPerSec} | ${r.p50ms} | ${r.p99ms} | ${r.requests} | ${r.non2xx} | ${r.errors} | ${r.storedMessages} | ${r.rssMiB} | ${r.peakMiB} |`);
const out = process.env.BENCH_JSON ?? 'reports/bench.json';
mkdirSync('reports', { recursive: true });
writeFileSync(out, JSON.stringify({ meta, rows }, null, 2));
console.log(`\nwritten: ${out}`);
if (rows.some((r) => r.errors > 0 || r.non2xx > 0)) process.exitCode = 1;
