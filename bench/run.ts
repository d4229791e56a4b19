// `npm run bench`: one run, one table. The fake (compiled, as `npm start` runs it), Prism's mock of the same
// openapi.yaml and a plain Express 5 app (bench/plain-express.mjs), each pinned to CPU 0 with autocannon
// here on CPU 1, loopback only: req/s, p50, p99 of four scenarios and the ratios; start-up to the first
// /health (median of 5 each); createFake() first and next, the history page at 100 and 1,000,000
// messages and the heap per message (bench/in-process.mjs, fresh children); the contract suite's time.
// Writes reports/bench.json and reports/bench.md and prints the Markdown; judged by bench/report.ts.
// Options (env): BENCH_DURATION seconds per scenario and server (6), in BENCH_ROUNDS alternating slices (3),
// BENCH_CONNECTIONS (50), BENCH_MESSAGES (1000000), BENCH_RUNS fresh processes for start-up and createFake() (5), BENCH_SUITE_RUNS runs of the contract suite (3). `npm run bench -- --readme` also puts
// the table in README.md between its bench markers.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { load, scenariosFrom, type LoadResult } from './load.ts';
import { markdown, targets, type BenchData } from './report.ts';
import { hasTaskset, median, pinned, ROOT, SERVERS, start, type ServerName } from './servers.ts';

const duration = Number(process.env.BENCH_DURATION ?? 6);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const messages = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const suiteRuns = Math.max(1, Number(process.env.BENCH_SUITE_RUNS ?? 3));
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
const loadAverageAtStart = loadavg();

execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--if-stale'], { stdio: 'inherit' });
const allCpus = availableParallelism();
if (hasTaskset) execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });

/** Runs a child to its end and returns its stdout; a failure shows its stderr. */
function child(argv: string[], cpu: number | undefined): Promise<{ stdout: string; code: number | null; seconds: number }> {
  const began = performance.now();
  // Unpinned means every CPU, as a user runs it: this process is pinned to CPU 1 and a plain child inherits that.
  // (Counted before the pinning: availableParallelism() here says 1 from then on.)
  const free = hasTaskset ? ['taskset', '-c', `0-${allCpus - 1}`, ...argv] : argv;
  const proc = cpu === undefined ? spawn(free[0], free.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }) : pinned(cpu, argv);
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => (stdout += d));
  proc.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    proc.once('exit', (code) => {
      if (code !== 0 && cpu !== undefined) return reject(new Error(`${argv.join(' ')} exited with ${code}:\n${stderr}`));
      resolve({ stdout, code, seconds: (performance.now() - began) / 1000 });
    });
  });
}
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

log(`createFake() in ${runs} fresh processes`);
const created: Record<string, number>[] = [];
for (let i = 0; i < runs; i++) created.push(lastJson((await child([process.execPath, 'bench/in-process.mjs', 'create-fake'], 0)).stdout));
const pick = (key: string) => median(created.map((c) => c[key]));
const createFake = { importMs: pick('importMs'), firstMs: pick('firstMs'), importAndFirstMs: pick('importAndFirstMs'), nextMedianMs: pick('nextMedianMs'), processes: runs };

// Start-up and load alternate between the servers (fake, Prism, Express, fake, ...), so a change in what
// else the machine is doing falls on all three alike instead of on whichever ran at that moment.
log(`start-up, ${runs} rounds of the three servers`);
const startupRuns = new Map<ServerName, number[]>(SERVERS.map((n) => [n, []]));
for (let i = 0; i < runs; i++) {
  for (const name of SERVERS) {
    const server = await start(name);
    startupRuns.get(name)!.push(server.startupMs);
    await server.stop();
  }
}
const startup = Object.fromEntries(SERVERS.map((n) => [n, { medianMs: median(startupRuns.get(n)!), runsMs: startupRuns.get(n)! }])) as BenchData['startup'];

// All three run at once (each pinned to CPU 0, idle while another is loaded); each scenario is `rounds`
// slices of duration/rounds seconds per server, alternating. req/s: all requests over all slices' time;
// p50 and p99: the median of the slices'.
const running = new Map<ServerName, Awaited<ReturnType<typeof start>>>();
const results = new Map<string, Partial<Record<ServerName, LoadResult>>>();
try {
  for (const name of SERVERS) running.set(name, await start(name));
  // The scenarios use the credentials and ids the fake hands out.
  const scenarios = await scenariosFrom(running.get('fake')!.url);
  for (const s of scenarios) {
    log(`${s.name}: ${rounds} rounds of ${(duration / rounds).toFixed(1)} s per server`);
    const slices = new Map<ServerName, LoadResult[]>(SERVERS.map((n) => [n, []]));
    for (const name of SERVERS) await load(running.get(name)!.url, s, 1, 10); // warm-up, discarded
    for (let round = 0; round < rounds; round++) {
      for (const name of SERVERS) slices.get(name)!.push(await load(running.get(name)!.url, s, duration / rounds, connections));
    }
    const combined = (list: LoadResult[]): LoadResult => ({
      reqPerSec: Math.round(list.reduce((a, r) => a + r.requests, 0) / duration),
      p50ms: median(list.map((r) => r.p50ms)),
      p99ms: median(list.map((r) => r.p99ms)),
      requests: list.reduce((a, r) => a + r.requests, 0),
      non2xx: list.reduce((a, r) => a + r.non2xx, 0),
      errors: list.reduce((a, r) => a + r.errors, 0),
    });
    results.set(s.name, Object.fromEntries(SERVERS.map((n) => [n, combined(slices.get(n)!)])));
  }
} finally {
  for (const server of running.values()) await server.stop();
}

log(`history and heap at ${messages.toLocaleString('en')} messages`);
const history = lastJson((await child([process.execPath, '--expose-gc', 'bench/in-process.mjs', 'history', String(messages)], 0)).stdout);

// The suite is one wall time of several seconds on a shared machine: the median of a few runs, like start-up.
log(`contract suite (fluxra-contract against a fresh fake in process), ${suiteRuns} runs`);
const suites: Awaited<ReturnType<typeof child>>[] = [];
for (let i = 0; i < suiteRuns; i++) suites.push(await child([process.execPath, 'bin/fluxra-contract.js'], undefined));
const suite = suites.find((s) => s.code !== 0) ?? suites.reduce((a, b) => (b.seconds > a.seconds ? b : a));
const summary = /CONFORMS[^\n]*|DOES NOT CONFORM[^\n]*/.exec(suite.stdout)?.[0] ?? `exit ${suite.code}`;
// What the run chose (its default follows the CPUs it may use): the row says so.
const suiteConcurrency = Number(/concurrency (\d+)/.exec(suite.stdout)?.[1]) || undefined;

const data: BenchData = {
  meta: {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    pinned: hasTaskset,
    durationSeconds: duration,
    rounds,
    connections,
    loadAverageAtStart,
  },
  load: [...results].map(([scenario, r]) => ({ scenario, results: r as Record<ServerName, LoadResult> })),
  startup,
  createFake,
  history,
  contract: { seconds: median(suites.map((s) => s.seconds)), runsSeconds: suites.map((s) => s.seconds), concurrency: suiteConcurrency, summary, exitCode: suite.code },
};
const table = markdown(data);
mkdirSync(join(ROOT, 'reports'), { recursive: true });
writeFileSync(join(ROOT, 'reports/bench.json'), `${JSON.stringify({ ...data, targets: targets(data) }, null, 2)}\n`);
writeFileSync(join(ROOT, 'reports/bench.md'), table);
if (process.argv.includes('--readme')) {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const begin = '<!-- bench:begin (npm run bench -- --readme) -->';
  const end = '<!-- bench:end -->';
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${begin} ... ${end} section`);
  writeFileSync(join(ROOT, 'README.md'), `${readme.slice(0, from + begin.length)}\n${table}${readme.slice(to)}`);
}
process.stdout.write(`\n${table}\nwritten: reports/bench.json, reports/bench.md${process.argv.includes('--readme') ? ', README.md' : ''}\n`);
// A request the fake or the Express floor did not answer with 2xx means the run measured something else.
const broken = data.load.flatMap(({ scenario, results: r }) => (['fake', 'express'] as const).filter((n) => r[n].errors > 0 || r[n].non2xx > 0).map((n) => `${n} ${scenario}`));
if (broken.length || suite.code !== 0) {
  process.stderr.write(`bench: not every request succeeded: ${[...broken, suite.code !== 0 ? 'contract suite' : ''].filter(Boolean).join(', ')}\n`);
  process.exitCode = 1;
}
