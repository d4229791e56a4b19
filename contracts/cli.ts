// `fluxra-contract`: runs the contract suite against the fake (default) or any base URL, through the
// governor (budget, concurrency, per-request timeout, Retry-After, coverage, secret harvesting) and
// optionally Prism, and reports. Order: options, target, governor, preflight (exit 2 when the target does
// not answer or is not the Fluxra API), Prism, the tests, then the reports, which are written however the
// run ends (also on SIGINT/SIGTERM, at --deadline, when the budget runs out or a Retry-After is too long).
// Exit codes: contracts/lib/verdict.ts (EXIT), documented in --help and the README.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { SPEC_PATH } from '../src/spec/load.ts';
import { validatorsFor } from '../src/spec/validators.ts';
import { startGovernor } from './lib/governor.ts';
import { parseOptions, testNamePattern, UsageError, type Options } from './lib/options.ts';
import { preflight, PreflightError } from './lib/preflight.ts';
import { displayUrl, redact, Redactor } from './lib/redact.ts';
import { buildJson, buildJunit, closingLine, consoleSummary, coverage, judge, prismViolations, type RunReport } from './lib/report.ts';
import type { ContractReporter } from './lib/reporter.ts';
import { RunControl } from './lib/run-control.ts';
import { reportSections } from './lib/sections.ts';
import { countVerdicts, EXIT, runStatus, verdictOf, type RunContext } from './lib/verdict.ts';

// The contract files sit beside this file: contracts/*.contract.ts in a clone, dist/contracts/*.contract.js
// in the installed package (compiled, so no TypeScript runner is needed there).
const ROOT = fileURLToPath(new URL('./', import.meta.url));
/** After a stop, how long the tests in flight and the cleanup get before the reports are written anyway. */
const STOP_GRACE_MS = 15_000;

function isLoopback(url: URL) {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The URL to check, without credentials; credentials given in it are redacted everywhere and never sent. */
function liveTarget(raw: string, opts: Options, redactor: Redactor) {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--base-url is not a URL: ${redact(raw)}`);
  }
  for (const part of [url.username, url.password]) {
    redactor.add(part);
    redactor.add(decodeURIComponent(part));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--base-url must be http or https, got ${url.protocol}`);
  if (!isLoopback(url) && !opts.allowLive) {
    throw new UsageError(`refusing to run against ${url.origin}: it is not a loopback address. This suite registers throwaway agents and sends real requests; pass --allow-live to run it against a live server (keep --concurrency low and set --budget).`);
  }
  return { url: displayUrl(url), hadCredentials: Boolean(url.username || url.password) };
}

async function main(argv: string[]): Promise<number> {
  // `fluxra-contract parity ...`: fake vs target parity (contracts/parity/cli.ts), its own options.
  if (argv[0] === 'parity') return (await import('./parity/cli.ts')).runCli(argv.slice(1));
  const startedAt = Date.now();
  const opts = parseOptions(argv);
  const redactor = new Redactor();
  const clean = redactor.clean;
  const out = (line: string) => void process.stdout.write(`${clean(line)}\n`);
  const reports = opts.reports.map((r) => ({ ...r, file: resolve(r.file) }));

  let targetUrl: string;
  let live = true;
  let note = '';
  let stopFake: (() => Promise<void>) | undefined;
  if (opts.baseUrl) {
    const t = liveTarget(opts.baseUrl, opts, redactor);
    targetUrl = t.url;
    if (t.hadCredentials) note = ' (the credentials in --base-url are not sent and are redacted)';
  } else {
    const { startFake } = await import('../src/index.ts');
    const fake = await startFake({ port: opts.port ?? 0 }).catch((err: Error & { code?: string }) => {
      throw err.code === 'EADDRINUSE' ? new UsageError(`--port ${opts.port}: the port is in use`) : err;
    });
    targetUrl = fake.url;
    live = false; // our own fake: every tier must pass
    stopFake = () => fake.close();
  }

  // Read on first need (about a second on a loaded machine): a target that is not there is diagnosed without it.
  let specValidators: ReturnType<typeof validatorsFor> | undefined;
  const validators = () => (specValidators ??= validatorsFor());
  const operations = () => validators().operations;
  let finished: number | undefined;
  let reporter: ContractReporter | undefined;
  let prismUsed = false;
  const pattern = testNamePattern(opts);
  // The same test as vitest's (its full name: the describe, i.e. the operationId, then the test's name).
  const selected = (t: { operation: string; name: string }) => !pattern || pattern.test(`${t.operation} ${t.name}`);
  const ctx = (): RunContext => ({ target: targetUrl, live, strict: opts.strict, viaPrism: prismUsed, selected, stopped: control.stopped });

  let prism: Awaited<ReturnType<typeof import('./lib/prism.ts').startPrism>> | undefined;
  let vitest: import('vitest/node').Vitest | undefined;
  const control = new RunControl({
    graceMs: STOP_GRACE_MS,
    // The run did not wind down in time after a stop (or a second signal came): report what is known, exit.
    onForce: () => {
      const code = finish();
      void prism?.close(); // signals the Prism child now; it would outlive us otherwise
      process.exit(code);
    },
  });
  const governor = await startGovernor({
    upstream: targetUrl,
    direct: targetUrl,
    operations,
    budget: opts.budget,
    concurrency: opts.concurrency,
    timeoutMs: opts.timeout * 1000,
    maxRetryWaitS: opts.maxRetryAfter,
    stopOnRetryAfter: true,
    redactor,
    onStop: (reason) => control.stop(reason),
  });
  control.onStop((reason) => governor.halt(reason));
  control.handleSignals();
  control.deadline(opts.deadline, startedAt);

  /** Judges, prints and writes every report; returns the exit code. Runs once, however the run ends. */
  function finish(): number {
    if (finished !== undefined) return finished;
    control.dispose();
    const c = ctx();
    const tests = judge(reporter?.outcomes ?? [], c, operations());
    const totals = countVerdicts(tests.map((t) => t.verdict));
    const problems: string[] = [];
    const incomplete: string[] = [];
    if (c.stopped) incomplete.push(`the run was stopped: ${c.stopped}`);
    if (governor.budgetExhausted()) incomplete.push(`the request budget of ${opts.budget} was exhausted: requests were stopped`);
    if (totals.pass + totals.fail + totals.deviation === 0 && !totals['not-run'] && !c.stopped) problems.push('no test ran');
    if (reporter?.unhandled.length) problems.push(`unhandled errors: ${reporter.unhandled.join('; ')}`);
    if (c.viaPrism && Object.values(prismViolations(governor.stats)).some((v) => v.response.length)) problems.push('Prism reported response violations');
    const base: Omit<RunReport, 'sections'> = {
      ctx: c,
      tests,
      totals,
      coverage: coverage(operations(), governor.stats),
      stats: governor.stats,
      status: runStatus(totals, { problems, incomplete }),
      notCleanedUp: reporter?.leftovers ?? [],
      durationMs: Date.now() - startedAt,
    };
    const report: RunReport = { ...base, sections: reportSections().map((hook) => hook(base)).filter((s) => s !== undefined) };
    out(consoleSummary(report, clean));
    for (const r of reports) {
      try {
        mkdirSync(dirname(r.file), { recursive: true });
        writeFileSync(r.file, clean(r.kind === 'junit' ? buildJunit(report, clean) : `${JSON.stringify(buildJson(report, clean), null, 2)}\n`));
        out(`report: ${r.kind} -> ${r.file}`);
      } catch (err) {
        process.stderr.write(`fluxra-contract: cannot write the ${r.kind} report ${r.file}: ${clean((err as Error).message)}\n`);
      }
    }
    out(`\n${closingLine(report)}`);
    finished = report.status.exitCode;
    return finished;
  }

  try {
    let controlPlane: boolean;
    try {
      ({ controlPlane } = await preflight({ governor: governor.url, shown: targetUrl, timeoutMs: opts.preflightTimeout * 1000, validators, budgetLeft: () => governor.stats.sent < opts.budget }));
    } catch (err) {
      // A stop during the preflight (a signal, the deadline) is an incomplete run, not a preflight failure.
      if (!(err instanceof PreflightError) || !control.stopped) throw err;
      controlPlane = false;
    }
    if (opts.viaPrism && !control.stopped) {
      prism = await (await import('./lib/prism.ts')).startPrism(targetUrl, SPEC_PATH);
      governor.useUpstream(prism.url);
      prismUsed = true;
    }
    out(`fluxra-contract: checking ${targetUrl}${prism ? ' through Prism' : ''}${note} (budget ${opts.budget} requests, concurrency ${opts.concurrency}, timeout ${opts.timeout} s, ${opts.deadline ? `deadline ${opts.deadline} s, ` : ''}max Retry-After ${opts.maxRetryAfter} s, tiers ${opts.tiers.join(',') || 'all'}${opts.grep ? `, tests matching /${opts.grep.source}/` : ''}${controlPlane ? ', control plane found' : ''})`);

    Object.assign(process.env, {
      FLUXRA_BASE_URL: governor.url,
      FLUXRA_CONTRACT_GOVERNED: '1',
      FLUXRA_CONTRACT_CONTROL_PLANE: controlPlane ? '1' : '0',
      // fake-only tests reach /__fake/* through the governor too (counted in the budget, never through Prism).
      FLUXRA_CONTRACT_CONTROL_URL: governor.url,
    });
    const progressMark = (o: Parameters<typeof verdictOf>[0]) => {
      const v = verdictOf(o, ctx());
      return { pass: 'ok', fail: 'FAIL', deviation: 'DIFF', skipped: selected(o) || o.note ? 'skip' : undefined, 'not-run': 'NRUN' }[v];
    };
    const { ContractReporter } = await import('./lib/reporter.ts');
    reporter = new ContractReporter(out, clean, progressMark);
    const redacting = (stream: NodeJS.WriteStream) => new Writable({ write(chunk, _enc, cb) { stream.write(clean(String(chunk))); cb(); } });
    // Also after a stop (a signal or the deadline during the preflight): the governor answers every request
    // "stopped", so the tests end at once as "not run", and the report lists each of them.
    {
      const { createVitest } = await import('vitest/node');
      const testTimeout = Math.max(120_000, opts.timeout * 4000);
      vitest = await createVitest(
        'test',
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
          testNamePattern: pattern,
          testTimeout,
          hookTimeout: testTimeout,
          // The compiled fake (dist/src, which the compiled contract files import) runs as plain Node modules,
          // as it does from an installed package's node_modules: not run through Vite's transform first (that
          // cost the run about a second). The TypeScript sources (a run from contracts/*.ts) still are.
          server: { deps: { external: [/\/dist\/src\//] } },
        },
        undefined,
        { stdout: redacting(process.stdout), stderr: redacting(process.stderr) },
      );
      control.reclaimSignals();
      const v = vitest;
      // A stop from now on cancels the run. Stopped already: vitest runs, every test ends "not run" at its
      // first request, and the report lists each one (a cancel before the start would list none).
      if (!control.stopped) control.onStop(() => void v.cancelCurrentRun('keyboard-input').catch(() => {}));
      await vitest.start();
    }
  } catch (err) {
    // Whatever ends the run here leaves through one line: the run's secrets (the URL's password) redacted.
    if (err instanceof Error) err.message = clean(err.message);
    throw err;
  } finally {
    await vitest?.close().catch(() => {});
    await governor.close();
    await prism?.close();
    await stopFake?.();
  }
  return finish();
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const usage = err instanceof UsageError || err instanceof PreflightError;
    const message = redact(err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`fluxra-contract: ${message}${err instanceof UsageError ? ' (see fluxra-contract --help)' : ''}\n`);
    process.exit(usage ? EXIT.usage : EXIT.doesNotConform);
  },
);
