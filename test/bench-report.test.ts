// The judging half of `npm run bench` (bench/report.ts) on made-up figures: each target is met exactly
// up to its bound and missed past it, and the table shows every server, ratio and verdict. (The bench
// itself runs Prism and three servers under load for minutes, so it is not part of npm test.)
import { describe, expect, it } from 'vitest';
import type { LoadResult } from '../bench/load.ts';
import { markdown, targets, type BenchData } from '../bench/report.ts';

const r = (reqPerSec: number, p99ms: number): LoadResult => ({ reqPerSec, p50ms: 1, p99ms, requests: reqPerSec * 5, non2xx: 0, errors: 0 });

function data(change: (d: BenchData) => void = () => {}): BenchData {
  const d: BenchData = {
    meta: { date: '2026-12-02T18:00:00.000Z', node: 'v20.20.2', cpus: 2, cpuModel: 'AMD EPYC', pinned: true, durationSeconds: 5, rounds: 3, connections: 50, loadAverageAtStart: [0.5, 0.4, 0.3] },
    load: [
      { scenario: 'POST /api/messages', results: { fake: r(1500, 30), prism: r(1000, 100), express: r(1875, 20) } },
      { scenario: 'GET /health', results: { fake: r(900, 30), prism: r(500, 100), express: r(1000, 20) } },
    ],
    startup: { fake: { medianMs: 1000, runsMs: [1000] }, prism: { medianMs: 3000, runsMs: [3000] }, express: { medianMs: 200, runsMs: [200] } },
    createFake: { importMs: 250, firstMs: 50, importAndFirstMs: 300, nextMedianMs: 2, processes: 5 },
    history: { messages: 1_000_000, pageMs100: 2, pageMsLarge: 3, pageMsAfterCursorLarge: 3, seedSeconds: 10, heapBytesPerMessage: 800, heapBytesPerMessageBeyondContent: 700 },
    contract: { seconds: 8, runsSeconds: [7.5, 8, 9.25], concurrency: 2, summary: 'CONFORMS: 103 passed', exitCode: 0 },
  };
  change(d);
  return d;
}

describe('bench report', () => {
  it('meets every target exactly at its bound', () => {
    expect(targets(data()).filter((t) => !t.met)).toEqual([]);
  });

  it.each<[string, (d: BenchData) => void]>([
    ['POST /api/messages >= 1.5x Prism', (d) => (d.load[0].results.prism.reqPerSec = 1001)],
    ['POST /api/messages >= 80% of plain Express', (d) => (d.load[0].results.express.reqPerSec = 1876)],
    ['GET /health >= 90% of plain Express', (d) => (d.load[1].results.fake.reqPerSec = 899)],
    ['POST /api/messages p99 <= 1.5x plain Express p99', (d) => (d.load[0].results.fake.p99ms = 31)],
    ['start-up to first /health <= 1/3 of Prism', (d) => (d.startup.fake.medianMs = 1001)],
    ['createFake() first in a process <= 300 ms (import of the package included)', (d) => (d.createFake.importAndFirstMs = 301)],
    ['createFake() next <= 2 ms', (d) => (d.createFake.nextMedianMs = 2.01)],
    ['history page at 1,000,000 messages <= 1.5x at 100', (d) => (d.history.pageMsLarge = 3.01)],
    ['heap per stored 100-character message <= 700 B beyond the content', (d) => (d.history.heapBytesPerMessageBeyondContent = 701)],
    ['contract suite against the in-process fake <= 8 s', (d) => (d.contract.exitCode = 1)],
  ])('misses "%s" just past it, and only that one', (target, change) => {
    expect(targets(data(change)).filter((t) => !t.met).map((t) => t.target)).toEqual([target]);
  });

  it('prints every server of every scenario with the ratios, the machine and each verdict', () => {
    const md = markdown(data((d) => (d.contract.seconds = 9)));
    expect(md).toContain('| POST /api/messages | Prism mock | 1000 | 1 | 100 | 1.50x | 0 | 0 |');
    expect(md).toContain('| POST /api/messages | plain Express | 1875 | 1 | 20 | 0.80x | 0 | 0 |');
    expect(md).toContain('2 CPUs (AMD EPYC), Node v20.20.2, load average at start 0.50 0.40 0.30');
    expect(md).toMatch(/\| contract suite against the in-process fake <= 8 s \| 9\.0 s \(CONFORMS: 103 passed\) \| \*\*missed\*\* \|/);
    expect(md.match(/\| met \|/g)).toHaveLength(targets(data()).length - 1);
    expect(md).toContain('| contract suite (`fluxra-contract`, fresh fake in process, concurrency 2), median of 3 (7.5, 8.0, 9.3 s) | 9.0 s |');
  });
});
