// `fluxra-contract`: runs the contract suite against the fake (default) or any base URL, through the
// governor (budget, concurrency, Retry-After, coverage) and optionally Prism, and reports.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { startVitest } from 'vitest/node';
import { startFake } from '../src/index.ts';
import { loadSpec, SPEC_PATH } from '../src/spec/load.ts';
import { indexOperations } from '../src/spec/operations.ts';
import { TIERS } from './lib/contract.ts';
import { startGovernor } from './lib/governor.ts';
import { startPrism } from './lib/prism.ts';
import { redact } from './lib/redact.ts';
import { buildJson, buildJunit, consoleSummary, coverage, prismViolations, verdictOf } from './lib/report.ts';
import { ruleCoverage, ruleCoverageLines } from './lib/coverage.ts';
import { ContractReporter } from './lib/reporter.ts';

// The contract files sit beside this file: contracts/*.contract.ts in a clone, dist/contracts/*.contract.js
// in the installed package (compiled, so no TypeScript runner is needed there).
const ROOT = fileURLToPath(new URL('./', import.meta.url));

const program = new Command()
  .name('fluxra-contract')
  .description('Checks a Fluxra Chat API server (the fake, staging or production) against openapi.yaml.')
  .addOption(new Option('--base-url <url>', 'server to check (default: a fresh fake started on loopback)').env('FLUXRA_BASE_URL'))
  .option('--tier <tiers>', `comma-separated tiers to run (${TIERS.join(', ')})`, (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)])
  .option('--strict', 'against a live server, inferred deviations fail the run too')
  .option('--report <kind=file>', 'write a report: junit=FILE or json=FILE (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
  .option('--via-prism', 'run through `prism proxy openapi.yaml <target>` and fail on response violations')
  .option('--allow-live', 'required for any URL that is not loopback')
  .option('--budget <n>', 'most requests sent to the target', toPositiveInt, 2000)
  .option('--concurrency <n>', 'most requests in flight (and vitest workers)', toPositiveInt, 1)
  .addHelpText('after', '\n`fluxra-contract parity --help`: fake vs target parity (the same scenarios against both, every difference classified).')
  .showHelpAfterError();

function toPositiveInt(value: string) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got "${value}"`);
  return n;
}

function isLoopback(url: URL) {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

async function main() {
  // `fluxra-contract parity ...`: fake vs target parity (contracts/parity/cli.ts), its own options.
  if (process.argv[2] === 'parity') return void (process.exitCode = await (await import('./parity/cli.ts')).runCli(process.argv.slice(3)));
  program.parse();
  const opts = program.opts<{ baseUrl?: string; tier?: string[]; strict?: boolean; report?: string[]; viaPrism?: boolean; allowLive?: boolean; budget: number; concurrency: number }>();
  const out = (line: string) => process.stdout.write(`${redact(line)}\n`);
  const reports = (opts.report ?? []).map((r) => {
    const m = /^(junit|json)=(.+)$/.exec(r);
    if (!m) throw new Error(`--report expects junit=FILE or json=FILE, got "${r}"`);
    return { kind: m[1] as 'junit' | 'json', file: resolve(m[2]) };
  });
  const tiers = opts.tier ?? [];
  for (const t of tiers) if (!(TIERS as readonly string[]).includes(t)) throw new Error(`unknown tier "${t}" (tiers: ${TIERS.join(', ')})`);

  let targetUrl: string;
  let live = true;
  let stopFake: (() => Promise<void>) | undefined;
  if (opts.baseUrl) {
    let url: URL;
    try {
      url = new URL(opts.baseUrl);
    } catch {
      throw new Error(`--base-url is not a URL: ${opts.baseUrl}`);
    }
    if (!isLoopback(url) && !opts.allowLive) {
      throw new Error(`refusing to run against ${url.origin}: it is not a loopback address. This suite registers throwaway agents and sends real requests; pass --allow-live to run it against a live server (keep --concurrency low and set --budget).`);
    }
    targetUrl = url.href.replace(/\/+$/, '');
  } else {
    const fake = await startFake({ port: 0 });
    targetUrl = fake.url;
    live = false; // our own fake: every tier must pass
    stopFake = () => fake.close();
  }

  const operations = indexOperations(loadSpec());
  const controlPlane = await fetch(`${targetUrl}/__fake/openapi.yaml`).then((r) => r.status === 200, () => false);
  const prism = opts.viaPrism ? await startPrism(targetUrl, SPEC_PATH) : undefined;
  const governor = await startGovernor({ upstream: prism?.url ?? targetUrl, operations, budget: opts.budget, concurrency: opts.concurrency });
  out(`fluxra-contract: checking ${targetUrl}${prism ? ' through Prism' : ''} (budget ${opts.budget} requests, concurrency ${opts.concurrency}, tiers ${tiers.join(',') || 'all'}${controlPlane ? ', control plane found' : ''})`);

  Object.assign(process.env, {
    FLUXRA_BASE_URL: governor.url,
    FLUXRA_CONTRACT_GOVERNED: '1',
    FLUXRA_CONTRACT_CONTROL_PLANE: controlPlane ? '1' : '0',
    // fake-only tests reach /__fake/* directly, bypassing the governor and Prism (contracts/lib/control.ts).
    ...(controlPlane ? { FLUXRA_CONTRACT_CONTROL_URL: targetUrl } : {}),
  });
  const reporter = new ContractReporter(out);
  const redacting = (stream: NodeJS.WriteStream) => new Writable({ write(chunk, _enc, cb) { stream.write(redact(String(chunk))); cb(); } });
  let vitest;
  try {
    vitest = await startVitest(
      'test',
      [],
      {
        config: false,
        root: ROOT,
        include: ['**/*.contract.ts', '**/*.contract.js'],
        reporters: [reporter],
        watch: false,
        pool: 'forks',
        // One module graph per worker: imports once (fast), and one-time secrets are remembered across files.
        isolate: false,
        maxWorkers: opts.concurrency,
        fileParallelism: opts.concurrency > 1,
        testNamePattern: tiers.length ? new RegExp(`\\[(${tiers.map((t) => t.replace(/-/g, '\\-')).join('|')})\\]`) : undefined,
        testTimeout: 120_000,
        hookTimeout: 120_000,
        // The compiled fake (dist/src, which the compiled contract files import) runs as plain Node modules,
        // as it does from an installed package's node_modules: not run through Vite's transform first (that
        // cost the run about a second). The TypeScript sources (a run from contracts/*.ts) still are.
        server: { deps: { external: [/\/dist\/src\//] } },
      },
      undefined,
      { stdout: redacting(process.stdout), stderr: redacting(process.stderr) },
    );
  } finally {
    await vitest?.close();
    await governor.close();
    await prism?.close();
    await stopFake?.();
  }

  const ctx = { target: targetUrl, live, strict: Boolean(opts.strict), viaPrism: Boolean(prism) };
  const outcomes = reporter.outcomes;
  const cov = coverage(operations, governor.stats);
  const failures = outcomes.filter((t) => verdictOf(t, ctx) === 'fail');
  const deviations = outcomes.filter((t) => verdictOf(t, ctx) === 'deviation');
  const prismBad = prism ? Object.values(prismViolations(governor.stats)).some((v) => v.response.length) : false;
  const problems: string[] = [];
  if (governor.budgetExhausted()) problems.push(`the request budget of ${opts.budget} was exhausted: requests were stopped and the run is incomplete`);
  if (outcomes.filter((t) => t.state !== 'skipped').length === 0) problems.push('no test ran');
  if (reporter.unhandled.length) problems.push(`unhandled errors: ${reporter.unhandled.join('; ')}`);
  if (prismBad) problems.push('Prism reported response violations');
  if (failures.length) problems.push(`${failures.length} test(s) failed`);
  const conforms = problems.length === 0;

  out(consoleSummary(ctx, outcomes, cov, governor.stats));
  const rules = ruleCoverage(outcomes); // issue 11: rules checked / rules documented (contracts/rules.ts)
  for (const line of ruleCoverageLines(rules)) out(line);
  if (deviations.length) {
    out(`\nDiffers from our inference (${deviations.length}; fails only with --strict):`);
    for (const d of deviations) out(`  ${d.fullName}: ${d.errors[0]?.split('\n')[0] ?? ''}`);
  }
  if (reporter.leftovers.length) {
    out(`\nNot cleaned up (${reporter.leftovers.length}):`);
    const byReason = new Map<string, string[]>();
    for (const l of reporter.leftovers) {
      const m = /^(\S+ \S+)(?: \((.+)\))?$/.exec(l);
      const reason = m?.[2] ?? 'delete failed';
      byReason.set(reason, [...(byReason.get(reason) ?? []), m?.[1] ?? l]);
    }
    for (const [reason, items] of byReason) out(`  ${items.length} (${reason}): ${items.slice(0, 5).join(', ')}${items.length > 5 ? ', ... (all in the JSON report)' : ''}`);
  }
  if (failures.length) {
    out('\nFailures:');
    for (const f of failures) out(`  ${f.fullName}\n    ${f.errors[0]?.split('\n').slice(0, 3).join('\n    ') ?? ''}`);
  }
  for (const r of reports) {
    mkdirSync(dirname(r.file), { recursive: true });
    const text = r.kind === 'junit'
      ? buildJunit(ctx, outcomes)
      : `${JSON.stringify(buildJson(ctx, outcomes, cov, governor.stats, { conforms, problems, notCleanedUp: reporter.leftovers, rules }), null, 2)}\n`;
    writeFileSync(r.file, redact(text));
    out(`report: ${r.kind} -> ${r.file}`);
  }
  out(`\n${conforms ? 'CONFORMS' : 'DOES NOT CONFORM'}: ${outcomes.filter((t) => t.state === 'passed').length} passed, ${failures.length} failed, ${deviations.length} deviations, ${outcomes.filter((t) => t.state === 'skipped').length} skipped${problems.length ? ` (${problems.join('; ')})` : ''}`);
  process.exitCode = conforms ? 0 : 1;
}

main().catch((err) => {
  process.stderr.write(`fluxra-contract: ${redact(err instanceof Error ? err.message : String(err))}\n`);
  process.exit(2);
});
