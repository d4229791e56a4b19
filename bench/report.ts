// What `npm run bench` measured, judged against the targets of issue 13, as JSON (reports/bench.json)
// and Markdown (reports/bench.md, also the README's Benchmarks section between its markers).
import type { LoadResult } from './load.ts';
import type { ServerName } from './servers.ts';

export interface BenchData {
  meta: { date: string; node: string; cpus: number; cpuModel: string; pinned: boolean; durationSeconds: number; rounds: number; connections: number; loadAverageAtStart: number[] };
  load: { scenario: string; results: Record<ServerName, LoadResult> }[];
  startup: Record<ServerName, { medianMs: number; runsMs: number[] }>;
  createFake: { importMs: number; firstMs: number; importAndFirstMs: number; nextMedianMs: number; processes: number };
  history: { messages: number; pageMs100: number; pageMsLarge: number; pageMsAfterCursorLarge: number; seedSeconds: number; heapBytesPerMessage: number; heapBytesPerMessageBeyondContent: number };
  /** seconds: the median of runsSeconds; summary and exitCode: the slowest run's, or the first that failed. */
  contract: { seconds: number; runsSeconds: number[]; concurrency?: number; summary: string; exitCode: number | null };
}

export interface Target {
  target: string;
  measured: string;
  met: boolean;
}

const x = (n: number) => `${n.toFixed(2)}x`;
const ms = (n: number) => `${n < 10 ? n.toFixed(2) : Math.round(n)} ms`;

export function targets(d: BenchData): Target[] {
  const row = (name: string) => d.load.find((r) => r.scenario === name)!.results;
  const msg = row('POST /api/messages');
  const health = row('GET /health');
  const list: Target[] = [
    { target: 'POST /api/messages >= 1.5x Prism', measured: x(msg.fake.reqPerSec / msg.prism.reqPerSec), met: msg.fake.reqPerSec >= 1.5 * msg.prism.reqPerSec },
    { target: 'POST /api/messages >= 80% of plain Express', measured: x(msg.fake.reqPerSec / msg.express.reqPerSec), met: msg.fake.reqPerSec >= 0.8 * msg.express.reqPerSec },
    { target: 'GET /health >= 90% of plain Express', measured: x(health.fake.reqPerSec / health.express.reqPerSec), met: health.fake.reqPerSec >= 0.9 * health.express.reqPerSec },
  ];
  for (const [name, r] of [['POST /api/messages', msg], ['GET /health', health]] as const) {
    list.push({ target: `${name} p99 <= 1.5x plain Express p99`, measured: `${r.fake.p99ms} vs ${r.express.p99ms} ms (${x(r.fake.p99ms / Math.max(r.express.p99ms, 1))})`, met: r.fake.p99ms <= 1.5 * Math.max(r.express.p99ms, 1) });
  }
  const s = d.startup;
  const h = d.history;
  list.push(
    { target: 'start-up to first /health <= 1/3 of Prism', measured: `${ms(s.fake.medianMs)} vs ${ms(s.prism.medianMs)} (${x(s.fake.medianMs / s.prism.medianMs)})`, met: s.fake.medianMs * 3 <= s.prism.medianMs },
    { target: 'createFake() first in a process <= 300 ms (import of the package included)', measured: `${ms(d.createFake.importAndFirstMs)} (import ${ms(d.createFake.importMs)} + call ${ms(d.createFake.firstMs)})`, met: d.createFake.importAndFirstMs <= 300 },
    { target: 'createFake() next <= 2 ms', measured: ms(d.createFake.nextMedianMs), met: d.createFake.nextMedianMs <= 2 },
    { target: `history page at ${h.messages.toLocaleString('en')} messages <= 1.5x at 100`, measured: `${ms(h.pageMsLarge)} vs ${ms(h.pageMs100)} (${x(h.pageMsLarge / h.pageMs100)})`, met: h.pageMsLarge <= 1.5 * h.pageMs100 },
    { target: 'heap per stored 100-character message <= 700 B beyond the content', measured: `${h.heapBytesPerMessageBeyondContent} B (${h.heapBytesPerMessage} B in all)`, met: h.heapBytesPerMessageBeyondContent <= 700 },
    { target: 'contract suite against the in-process fake <= 8 s', measured: `${d.contract.seconds.toFixed(1)} s (${d.contract.summary})`, met: d.contract.seconds <= 8 && d.contract.exitCode === 0 },
  );
  return list;
}

export function markdown(d: BenchData): string {
  const m = d.meta;
  const lines = [
    `Run ${m.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} CPUs (${m.cpuModel}), Node ${m.node}, load average at start ${m.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}; ` +
      `servers ${m.pinned ? 'pinned to CPU 0 and autocannon to CPU 1' : 'not pinned (no taskset)'}, ${m.connections} connections, ${m.durationSeconds} s per scenario and server after a 1 s warm-up, in ${m.rounds} slices alternating between the servers (all three running at once).`,
    '',
    '| scenario | server | req/s | p50 ms | p99 ms | fake vs this (req/s) | non-2xx | errors |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { scenario, results } of d.load) {
    for (const name of ['fake', 'prism', 'express'] as const) {
      const r = results[name];
      const ratio = name === 'fake' ? '' : x(results.fake.reqPerSec / r.reqPerSec);
      lines.push(`| ${scenario} | ${name === 'express' ? 'plain Express' : name === 'prism' ? 'Prism mock' : 'fluxra-fake'} | ${r.reqPerSec} | ${r.p50ms} | ${r.p99ms} | ${ratio} | ${r.non2xx} | ${r.errors} |`);
    }
  }
  const s = d.startup;
  lines.push(
    '',
    '| measure | fluxra-fake | Prism mock | plain Express |',
    '|---|---:|---:|---:|',
    `| start-up to first GET /health 200, median of ${s.fake.runsMs.length} | ${ms(s.fake.medianMs)} | ${ms(s.prism.medianMs)} | ${ms(s.express.medianMs)} |`,
    '',
    '| measure | value |',
    '|---|---:|',
    `| import of the package entry (fresh process, median of ${d.createFake.processes}) | ${ms(d.createFake.importMs)} |`,
    `| createFake() first call in that process | ${ms(d.createFake.firstMs)} |`,
    `| createFake() next (median of 200) | ${ms(d.createFake.nextMedianMs)} |`,
    `| history page of 50 over HTTP at 100 messages (median) | ${ms(d.history.pageMs100)} |`,
    `| ... at ${d.history.messages.toLocaleString('en')} messages, newest page | ${ms(d.history.pageMsLarge)} |`,
    `| ... at ${d.history.messages.toLocaleString('en')} messages, from a cursor half-way | ${ms(d.history.pageMsAfterCursorLarge)} |`,
    `| heap per stored 100-character message (beyond the 100 bytes of content) | ${d.history.heapBytesPerMessage} B (${d.history.heapBytesPerMessageBeyondContent} B) |`,
    `| contract suite (\`fluxra-contract\`, fresh fake in process${d.contract.concurrency ? `, concurrency ${d.contract.concurrency}` : ''}), median of ${d.contract.runsSeconds.length} (${d.contract.runsSeconds.map((x) => x.toFixed(1)).join(', ')} s) | ${d.contract.seconds.toFixed(1)} s |`,
    '',
    '| target | measured | |',
    '|---|---|---|',
    ...targets(d).map((t) => `| ${t.target} | ${t.measured} | ${t.met ? 'met' : '**missed**'} |`),
  );
  return `${lines.join('\n')}\n`;
}
