// The command line of `fluxra-contract` (the suite; `fluxra-contract parity` has its own, contracts/parity/cli.ts).
// Every mistake is a UsageError: one line on stderr, exit 2, never a stack. --help and --version exit 0.
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { nonNegativeArg, portArg, positiveIntArg, positiveNumberArg } from '../../src/basics/arguments.ts';
import { assetPath } from '../../src/spec/assets.ts';
import { TIERS, type Tier } from './tiers.ts';

// Read here rather than from the package entry, so a usage error or a preflight does not load the fake.
const VERSION: string = JSON.parse(readFileSync(assetPath('package.json'), 'utf8')).version;

/** A mistake in the command line (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Options {
  baseUrl?: string;
  port?: number;
  tiers: Tier[];
  /** Only tests whose "operationId test name" matches (with --tier: both). */
  grep?: RegExp;
  strict: boolean;
  reports: { kind: 'junit' | 'json'; file: string }[];
  viaPrism: boolean;
  allowLive: boolean;
  budget: number;
  concurrency: number;
  /** Seconds. */
  timeout: number;
  /** Seconds, or undefined for no deadline. */
  deadline?: number;
  /** Seconds. */
  maxRetryAfter: number;
  /** Seconds the preflight waits for each answer. */
  preflightTimeout: number;
}

const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];
const collect = (v: string, prev: string[] = []) => [...prev, v];

function program() {
  return new Command()
    .name('fluxra-contract')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help and exit')
    .description('Checks a Fluxra Chat API server (the fake, staging or production) against openapi.yaml.')
    .addOption(new Option('--base-url <url>', 'server to check (default: a fresh fake started on loopback)').env('FLUXRA_BASE_URL'))
    .option('--port <port>', 'port of the fake started when no --base-url is given (default: any free port)', portArg)
    .option('--tier <tiers>', `comma-separated tiers to run (${TIERS.join(', ')})`, list)
    .option('--grep <regex>', 'only the tests whose "operationId [tier] name" matches this regular expression (with --tier: both)')
    .option('--strict', 'against a live server, inferred deviations fail the run too')
    .option('--report <kind=file>', 'write a report: junit=FILE or json=FILE (repeatable); always written, also when the run is stopped', collect)
    .option('--via-prism', 'run through `prism proxy openapi.yaml <target>` and fail on response violations')
    .option('--allow-live', 'required for any URL that is not loopback')
    .option('--budget <n>', 'most requests sent to the target, probes and control-plane calls included', positiveIntArg, 2000)
    .option('--concurrency <n>', 'most requests in flight (and vitest workers) (default: 1 against --base-url; 2 against the fake started here, 1 on one CPU)', positiveIntArg)
    .option('--timeout <seconds>', 'longest wait for one answer; no answer in time is a failure in every tier', positiveNumberArg, 30)
    .option('--deadline <seconds>', 'stop the run after this long: what has not run is reported "not run" (exit 3)', positiveNumberArg)
    .option('--preflight-timeout <seconds>', 'longest wait for the preflight\'s GET /health (a target that does not answer is diagnosed within about this long)', positiveNumberArg, 4)
    .option('--max-retry-after <seconds>', 'a 429 Retry-After up to this long is waited out; a longer one stops the run (exit 3)', nonNegativeArg, 60)
    .addHelpText('after', [
      '',
      'Exit codes: 0 conforms, 1 does not conform (a test failed), 2 usage error or the target failed the',
      'preflight (unreachable, or not the Fluxra API), 3 incomplete (a test did not run: budget, deadline,',
      'signal, a Retry-After over --max-retry-after). SIGINT/SIGTERM stop the run; the reports are still written.',
      '',
      '`fluxra-contract parity --help`: fake vs target parity (the same scenarios against both, every difference classified).',
    ].join('\n'))
    .exitOverride()
    // Commander's own messages ("error: unknown option '--x'") become our one line.
    .configureOutput({ outputError: () => {} });
}

/** The test-name pattern vitest runs: the tiers and --grep, both must match. */
export function testNamePattern(o: Pick<Options, 'tiers' | 'grep'>): RegExp | undefined {
  const parts: string[] = [];
  if (o.tiers.length) parts.push(`(?=.*\\[(?:${o.tiers.map((t) => t.replace(/-/g, '\\-')).join('|')})\\])`);
  if (o.grep) parts.push(`(?=.*(?:${o.grep.source}))`);
  return parts.length ? new RegExp(`^${parts.join('')}`, o.grep?.flags.replace(/[gy]/g, '')) : undefined;
}

/** Parses argv (without node and the script); exits 0 after --help or --version. */
export function parseOptions(argv: string[]): Options {
  const cmd = program();
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) process.exit(0); // --help, --version: already printed
      throw new UsageError(err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '));
    }
    throw err;
  }
  const o = cmd.opts<{ baseUrl?: string; port?: number; tier?: string[]; grep?: string; strict?: boolean; report?: string[]; viaPrism?: boolean; allowLive?: boolean; budget: number; concurrency?: number; timeout: number; deadline?: number; maxRetryAfter: number; preflightTimeout: number }>();
  const reports = (o.report ?? []).map((r) => {
    const m = /^(junit|json)=(.+)$/.exec(r);
    if (!m) throw new UsageError(`--report expects junit=FILE or json=FILE, got "${r}"`);
    return { kind: m[1] as 'junit' | 'json', file: m[2] };
  });
  const tiers = o.tier ?? [];
  for (const t of tiers) if (!(TIERS as readonly string[]).includes(t)) throw new UsageError(`unknown tier "${t}" (tiers: ${TIERS.join(', ')})`);
  let grep: RegExp | undefined;
  try {
    grep = o.grep === undefined ? undefined : new RegExp(o.grep);
  } catch (err) {
    throw new UsageError(`--grep: ${(err as Error).message}`);
  }
  const baseUrl = o.baseUrl || undefined;
  if (baseUrl && o.port !== undefined) throw new UsageError('--port is the port of the fake fluxra-contract starts itself; it cannot be combined with --base-url');
  return {
    baseUrl,
    port: o.port,
    tiers: tiers as Tier[],
    grep,
    strict: Boolean(o.strict),
    reports,
    viaPrism: Boolean(o.viaPrism),
    allowLive: Boolean(o.allowLive),
    budget: o.budget,
    // Gentle to a server someone else runs; against its own fake the run may use the machine (tests
    // that change time or settings use private tenants: contracts/lib/control.ts).
    concurrency: o.concurrency ?? (baseUrl ? 1 : Math.min(2, availableParallelism())),
    timeout: o.timeout,
    deadline: o.deadline,
    maxRetryAfter: o.maxRetryAfter,
    preflightTimeout: o.preflightTimeout,
  };
}
