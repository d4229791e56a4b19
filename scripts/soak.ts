// `npm run soak -- [--duration SECONDS] [--interval SECONDS] [--warmup SECONDS] [--workers N]`: the fake
// as its own process on loopback under steady mixed load for a bounded time (default 10 minutes). Each
// worker loops over a whole session in a tenant of its own (register, key, token, a group, 20 sends,
// history, sync, unread counts, directory, a block, health), then deletes the tenant, so the steady
// state holds a bounded amount of data and the journal, tenants and stores must give memory back.
// Every interval (default 30 s) it prints the server's RSS (VmRSS from /proc) and the p50/p99 latency of
// that interval; at the end it fails (exit 1) if memory kept growing after warm-up (the median RSS of the
// last third of the samples more than 20 MiB or 15 % above that of the first third), or if any request
// failed. Writes reports/soak.json.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { duration: { type: 'string' }, interval: { type: 'string' }, warmup: { type: 'string' }, workers: { type: 'string' } } });
const durationS = Number(values.duration ?? 600);
const intervalS = Number(values.interval ?? 30);
const warmupS = Number(values.warmup ?? Math.min(120, durationS / 5));
const workers = Number(values.workers ?? 16);
if (![durationS, intervalS, warmupS, workers].every((n) => Number.isFinite(n) && n > 0)) {
  console.error('usage: npm run soak -- [--duration SECONDS] [--interval SECONDS] [--warmup SECONDS] [--workers N]');
  process.exit(2);
}

const root = join(import.meta.dirname, '..');
const child = spawn(process.execPath, [join(root, 'bin', 'fluxra-fake.js'), '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (m) resolve(m[1]);
  });
  child.on('exit', (code) => reject(new Error(`the fake exited (${code})`)));
});
const rssMiB = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;

const agent = new Agent({ keepAlive: true, maxSockets: workers });
let latencies: number[] = [];
let requests = 0;
let failures = 0;
const failureSamples: string[] = [];

function call(method: string, path: string, body: unknown, headers: Record<string, string> = {}, expect = [200, 201, 204]): Promise<any> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = httpRequest(`${url}${path}`, { method, agent, headers: text === undefined ? headers : { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) } }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => {
        latencies.push(performance.now() - started);
        requests++;
        if (!expect.includes(res.statusCode!)) {
          failures++;
          if (failureSamples.length < 10) failureSamples.push(`${method} ${path} ${res.statusCode} ${data.slice(0, 200)}`);
        }
        resolve(data ? JSON.parse(data) : undefined);
      });
    });
    req.on('error', (err) => {
      failures++;
      if (failureSamples.length < 10) failureSamples.push(`${method} ${path} ${err.message}`);
      resolve(undefined);
    });
    req.end(text);
  });
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
let cycles = 0;

async function session(worker: number) {
  const tenant = { 'X-Fluxra-Tenant': `soak-${worker}` };
  const a = await call('POST', '/api/auth/register', { agent_name: `soak-a-${worker}`, email: 'a@example.com' }, tenant);
  const b = await call('POST', '/api/auth/register', { agent_name: `soak-b-${worker}` }, tenant);
  if (!a?.agent_id || !b?.agent_id) return;
  const key = await call('POST', `/api/agents/${a.agent_id}`, { name: 'soak' }, { ...tenant, Authorization: basic(a.agent_id, a.recovery_key) });
  const token = await call('POST', '/api/auth/token', { grant_type: 'client_credentials' }, { ...tenant, Authorization: basic(a.agent_id, key.api_key) });
  const auth = { ...tenant, Authorization: `Bearer ${token.access_token}` };
  const conv = await call('POST', '/api/conversations', { type: 'group', name: 'soak', members: [b.agent_id] }, auth);
  for (let i = 0; i < 20; i++) await call('POST', '/api/messages', { conversation_id: conv.conversation_id, content: `message ${i} `.repeat(10) }, auth);
  await call('POST', '/api/messages', { recipient_agent_id: b.agent_id, content: 'direct' }, auth);
  await call('GET', `/api/conversations/${conv.conversation_id}/messages?limit=50`, undefined, auth);
  await call('GET', '/api/sync?limit=50', undefined, auth);
  await call('GET', '/api/messages/unread', undefined, auth);
  await call('GET', '/api/conversations', undefined, auth);
  await call('POST', '/api/blocks', { target_id: b.agent_id }, auth);
  await call('GET', '/api/directory?limit=20', undefined, tenant);
  await call('GET', '/health', undefined);
  await call('GET', '/__fake/journal?limit=5', undefined, tenant);
  await call('DELETE', `/__fake/tenants/soak-${worker}`, undefined);
  cycles++;
}

const samples: { t: number; rss_mib: number; requests: number; p50_ms: number; p99_ms: number }[] = [];
const started = Date.now();
const deadline = started + durationS * 1000;
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : 0);
console.log(`soak: ${durationS} s against ${url} (pid ${child.pid}), ${workers} workers, warm-up ${warmupS} s, a sample every ${intervalS} s; RSS at start ${rssMiB().toFixed(1)} MiB`);
console.log('   t(s)   RSS MiB   requests   p50 ms   p99 ms');
const sampler = setInterval(() => {
  const sorted = latencies.sort((x, y) => x - y);
  const sample = { t: Math.round((Date.now() - started) / 1000), rss_mib: Math.round(rssMiB() * 10) / 10, requests: sorted.length, p50_ms: Math.round(percentile(sorted, 0.5) * 10) / 10, p99_ms: Math.round(percentile(sorted, 0.99) * 10) / 10 };
  latencies = [];
  samples.push(sample);
  console.log(`${String(sample.t).padStart(7)} ${sample.rss_mib.toFixed(1).padStart(9)} ${String(sample.requests).padStart(10)} ${sample.p50_ms.toFixed(1).padStart(8)} ${sample.p99_ms.toFixed(1).padStart(8)}`);
}, intervalS * 1000);

await Promise.all(Array.from({ length: workers }, async (_, w) => {
  while (Date.now() < deadline) await session(w);
}));
clearInterval(sampler);
agent.destroy();
child.kill('SIGTERM');

const steady = samples.filter((s) => s.t > warmupS);
const third = Math.max(1, Math.floor(steady.length / 3));
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const early = steady.length >= 3 ? median(steady.slice(0, third).map((s) => s.rss_mib)) : NaN;
const late = steady.length >= 3 ? median(steady.slice(-third).map((s) => s.rss_mib)) : NaN;
const growing = late - early > Math.max(20, early * 0.15);
mkdirSync(join(root, 'reports'), { recursive: true });
writeFileSync(join(root, 'reports', 'soak.json'), `${JSON.stringify({ duration_s: durationS, workers, warmup_s: warmupS, requests, failures, sessions: cycles, samples, early_rss_mib: early, late_rss_mib: late, growing }, null, 2)}\n`);
console.log(`soak: ${requests} requests in ${cycles} sessions, ${failures} failed; RSS after warm-up: ${early.toFixed(1)} -> ${late.toFixed(1)} MiB (median of first and last third)`);
if (failures) console.error(`soak: FAILED, ${failures} requests failed:\n  ${failureSamples.join('\n  ')}`);
if (steady.length < 3) console.error('soak: too short to judge memory after warm-up (need 3 samples after it)');
if (growing) console.error('soak: FAILED, memory kept growing after warm-up');
process.exit(failures || growing || steady.length < 3 ? 1 : 0);
