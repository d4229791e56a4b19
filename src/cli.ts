#!/usr/bin/env node
// `fluxra-fake`: serves the fake on loopback. Every flag has an environment variable (flag wins).
// Exit codes: 0 after a requested stop (and for --help, --version), 1 when the fake fails at run time
// (the port is taken, the seed file's content is refused), 2 for a usage error (an unknown flag, a bad or
// missing value, a --seed-file that cannot be read). Errors are one line on stderr, never a stack.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { bytesArg, nonNegativeArg, portArg, positiveIntArg } from './basics/arguments.ts';
import type { Seed } from './control/seed.ts';
import { DEFAULTS } from './defaults.ts';
import { startFake, VERSION } from './index.ts';
import { onStop } from './stop.ts';

/** A mistake in the command line: exit code 2. */
class UsageError extends Error {}

const program = new Command()
  .name('fluxra-fake')
  .version(VERSION, '-V, --version', 'print the version and exit')
  .helpOption('-h, --help', 'show this help and exit')
  .description('A stateful in-memory fake of the Fluxra Chat API, driven by openapi.yaml.')
  .addOption(new Option('-p, --port <port>', 'port to listen on (0: any free port)').env('PORT').default(String(DEFAULTS.port)).argParser(portArg))
  .addOption(new Option('-H, --host <host>', 'address to bind').env('HOST').default(DEFAULTS.host))
  .addOption(new Option('--token-ttl <seconds>', 'access-token lifetime in seconds').env('FLUXRA_FAKE_TOKEN_TTL').default(String(DEFAULTS.tokenTtlSeconds)).argParser(positiveIntArg))
  .addOption(new Option('--seed <seed>', 'make ids, secrets and codes repeat exactly from run to run').env('FLUXRA_FAKE_SEED'))
  .addOption(new Option('--seed-file <path>', 'seed the default tenant at start from a JSON or YAML file (control API seed format)').env('FLUXRA_FAKE_SEED_FILE'))
  .addOption(new Option('--freeze-clock <instant>', 'start every tenant with its clock frozen at this RFC 3339 instant').env('FLUXRA_FAKE_FREEZE_CLOCK'))
  .addOption(new Option('--max-tenants <n>', 'most isolated tenants (X-Fluxra-Tenant) held at once').env('FLUXRA_FAKE_MAX_TENANTS').default(String(DEFAULTS.maxTenants)).argParser(positiveIntArg))
  .addOption(new Option('--journal-size <n>', 'request-journal entries kept per tenant').env('FLUXRA_FAKE_JOURNAL_SIZE').default(String(DEFAULTS.journalSize)).argParser(positiveIntArg))
  .addOption(new Option('--journal-budget <bytes>', 'request-journal bytes kept across all tenants (k/m suffixes)').env('FLUXRA_FAKE_JOURNAL_BUDGET').default(String(DEFAULTS.journalBudgetBytes)).argParser(bytesArg))
  .addOption(new Option('--journal-body-limit <bytes>', 'a journalled body larger than this is kept as its size only').env('FLUXRA_FAKE_JOURNAL_BODY_LIMIT').default(String(DEFAULTS.journalBodyBytes)).argParser(bytesArg))
  .addOption(new Option('--body-limit <bytes>', 'largest API request body (413 past it)').env('FLUXRA_FAKE_BODY_LIMIT').default(String(DEFAULTS.bodyLimitBytes)).argParser(bytesArg))
  .addOption(new Option('--max-json-depth <n>', 'deepest nesting of an API request body (400 past it)').env('FLUXRA_FAKE_MAX_JSON_DEPTH').default(String(DEFAULTS.maxJsonDepth)).argParser(positiveIntArg))
  .addOption(new Option('--tenant-idle <seconds>', 'drop a tenant (not the default one) unused this long; 0: never').env('FLUXRA_FAKE_TENANT_IDLE').default(String(DEFAULTS.tenantIdleSeconds)).argParser(nonNegativeArg))
  .addOption(new Option('--max-agents <n>', 'most agents per tenant (409 past it)').env('FLUXRA_FAKE_MAX_AGENTS').default(String(DEFAULTS.maxAgents)).argParser(positiveIntArg))
  .addOption(new Option('--max-conversations <n>', 'most conversations per tenant').env('FLUXRA_FAKE_MAX_CONVERSATIONS').default(String(DEFAULTS.maxConversations)).argParser(positiveIntArg))
  .addOption(new Option('--max-keys-per-agent <n>', 'most API keys per agent').env('FLUXRA_FAKE_MAX_KEYS_PER_AGENT').default(String(DEFAULTS.maxKeysPerAgent)).argParser(positiveIntArg))
  .addOption(new Option('--max-members <n>', 'most members of one conversation').env('FLUXRA_FAKE_MAX_MEMBERS').default(String(DEFAULTS.maxMembers)).argParser(positiveIntArg))
  .addOption(new Option('--max-messages <n>', 'most messages of one conversation').env('FLUXRA_FAKE_MAX_MESSAGES').default(String(DEFAULTS.maxMessages)).argParser(positiveIntArg))
  .addOption(new Option('--headers-timeout <ms>', 'a request whose headers have not arrived after this long is answered 408').env('FLUXRA_FAKE_HEADERS_TIMEOUT').default(String(DEFAULTS.headersTimeoutMs)).argParser(positiveIntArg))
  .addOption(new Option('--request-timeout <ms>', 'a request not fully arrived after this long is answered 408').env('FLUXRA_FAKE_REQUEST_TIMEOUT').default(String(DEFAULTS.requestTimeoutMs)).argParser(positiveIntArg))
  .addOption(new Option('--grace-period <ms>', 'on SIGTERM/SIGINT, requests in flight get this long to finish').env('FLUXRA_FAKE_GRACE_PERIOD').default(String(DEFAULTS.gracePeriodMs)).argParser(nonNegativeArg))
  .addOption(new Option('--state-file <path>', 'load the state at start, save it atomically on shutdown, on POST /__fake/snapshot/save and every --state-interval').env('FLUXRA_FAKE_STATE_FILE'))
  .addOption(new Option('--state-interval <seconds>', 'with --state-file, also save this often; 0: only on shutdown and on request').env('FLUXRA_FAKE_STATE_INTERVAL').default(String(DEFAULTS.stateSaveSeconds)).argParser(nonNegativeArg))
  .addOption(new Option('--allow-host <names>', 'host names (comma-separated) besides loopback ones that may reach the control plane').env('FLUXRA_FAKE_ALLOW_HOST'))
  .addOption(new Option('--control-token <token>', 'require Authorization: Bearer <token> on the control plane').env('FLUXRA_FAKE_CONTROL_TOKEN'))
  .addOption(new Option('--no-control', 'do not serve the control plane (/__fake/* answers 404)').env('FLUXRA_FAKE_NO_CONTROL'))
  .addOption(new Option('--no-cors', 'send no CORS headers: browser pages on other origins cannot call the API').env('FLUXRA_FAKE_NO_CORS'))
  .addOption(new Option('--plain-text-401', 'answer 401 as text/plain (the documented middleware caveat)').env('FLUXRA_FAKE_PLAIN_TEXT_401'))
  .addOption(new Option('-q, --quiet', 'no request log').env('FLUXRA_FAKE_QUIET'))
  .addHelpText('after', [
    '',
    'Boolean variables (FLUXRA_FAKE_NO_CONTROL, FLUXRA_FAKE_NO_CORS, FLUXRA_FAKE_PLAIN_TEXT_401, FLUXRA_FAKE_QUIET) switch on when set to any value.',
    'SIGTERM or SIGINT stops the server (also sent to `npm start` or `npx fluxra-fake`). Exit codes: 0 stopped, 1 failed, 2 usage error.',
  ].join('\n'))
  .exitOverride()
  // Commander's own messages ("error: unknown option '--x'", with a "Did you mean" line) become one line.
  .configureOutput({ outputError: () => {} });

const num = (value: unknown, parser: (v: string) => number) => (typeof value === 'number' ? value : parser(String(value)));

function readSeedFile(path: string): Seed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --seed-file ${path}: ${(err as Error).message}`);
  }
  // YAML is a superset of JSON: one parser reads both. Loaded only here, so a start without a seed file
  // does not pay for it.
  const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  let seed: unknown;
  try {
    seed = parse(text);
  } catch (err) {
    throw new Error(`--seed-file ${path} is neither JSON nor YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!seed || typeof seed !== 'object' || Array.isArray(seed)) throw new Error(`--seed-file ${path}: expected an object with agents, conversations, blocks`);
  return seed as Seed;
}

function clockStart(value: string | undefined) {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`--freeze-clock: "${value}" is not an RFC 3339 instant`);
  return new Date(ms);
}

/** Parses argv; a Commander error (unknown flag, bad value) becomes a UsageError, --help/--version exit 0. */
function parseArgs() {
  try {
    program.parse();
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) process.exit(0); // --help, --version: already printed
      throw new UsageError(err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '));
    }
    throw err;
  }
  return program.opts();
}

function usageNum(value: unknown, parser: (v: string) => number, flag: string) {
  try {
    return num(value, parser);
  } catch (err) {
    throw new UsageError(`${flag}: ${(err as Error).message}`);
  }
}

async function main() {
  const opts = parseArgs();
  const control = opts.control !== false;
  const cors = opts.cors !== false;
  const clock = clockStart(opts.freezeClock);
  const seedData = opts.seedFile ? readSeedFile(opts.seedFile) : undefined;
  const fake = await startFake({
    port: usageNum(opts.port, portArg, '--port'),
    host: opts.host,
    seed: opts.seed,
    tokenTtlSeconds: usageNum(opts.tokenTtl, positiveIntArg, '--token-ttl'),
    maxTenants: usageNum(opts.maxTenants, positiveIntArg, '--max-tenants'),
    tenantIdleSeconds: usageNum(opts.tenantIdle, nonNegativeArg, '--tenant-idle'),
    journalSize: usageNum(opts.journalSize, positiveIntArg, '--journal-size'),
    journalBudgetBytes: usageNum(opts.journalBudget, bytesArg, '--journal-budget'),
    journalBodyBytes: usageNum(opts.journalBodyLimit, bytesArg, '--journal-body-limit'),
    bodyLimitBytes: usageNum(opts.bodyLimit, bytesArg, '--body-limit'),
    maxJsonDepth: usageNum(opts.maxJsonDepth, positiveIntArg, '--max-json-depth'),
    maxAgents: usageNum(opts.maxAgents, positiveIntArg, '--max-agents'),
    maxConversations: usageNum(opts.maxConversations, positiveIntArg, '--max-conversations'),
    maxKeysPerAgent: usageNum(opts.maxKeysPerAgent, positiveIntArg, '--max-keys-per-agent'),
    maxMembers: usageNum(opts.maxMembers, positiveIntArg, '--max-members'),
    maxMessages: usageNum(opts.maxMessages, positiveIntArg, '--max-messages'),
    headersTimeoutMs: usageNum(opts.headersTimeout, positiveIntArg, '--headers-timeout'),
    requestTimeoutMs: usageNum(opts.requestTimeout, positiveIntArg, '--request-timeout'),
    gracePeriodMs: usageNum(opts.gracePeriod, nonNegativeArg, '--grace-period'),
    stateFile: opts.stateFile,
    stateSaveSeconds: usageNum(opts.stateInterval, nonNegativeArg, '--state-interval'),
    allowHosts: opts.allowHost ? String(opts.allowHost).split(',').map((h) => h.trim()).filter(Boolean) : undefined,
    controlToken: opts.controlToken,
    plainText401: Boolean(opts.plainText401),
    clockStart: clock,
    control,
    cors,
    seedData,
    logger: opts.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
  });
  const lines = [
    `fluxra-fake ${VERSION} listening on ${fake.url}`,
    `  base URL:   ${fake.url}`,
    `  docs:       ${fake.url}/docs/`,
    control ? `  dashboard:  ${fake.url}/__fake/ui${opts.controlToken ? '#token=<your --control-token>' : ''}` : '  control:    off (--no-control)',
  ];
  if (!cors) lines.push('  cors:       off (--no-cors)');
  if (control) lines.push(`  control:    ${fake.url}/__fake/openapi.yaml${opts.controlToken ? ' (Authorization: Bearer <your --control-token>)' : ''}`);
  if (opts.stateFile) {
    const restored = fake.restoredState;
    lines.push(`  state:      ${opts.stateFile} (${restored ? `loaded ${restored.tenants.length} tenant(s) saved at ${restored.saved_at}` : 'new'}; saved on shutdown${num(opts.stateInterval, nonNegativeArg) > 0 ? ` and every ${opts.stateInterval} s` : ''})`);
    if (restored && opts.seedFile) lines.push(`  seed file:  skipped (${opts.seedFile}): the state file was loaded`);
  }
  if (fake.seeded) {
    const agents = Object.entries(fake.seeded.agents as Record<string, { agent_id: string }>);
    lines.push(`  seeded:     ${agents.length} agent(s) from ${opts.seedFile}: ${agents.map(([ref, a]) => `${ref}=${a.agent_id}`).join(', ')}`);
  }
  lines.push(
    `  first call: curl -s -X POST ${fake.url}/api/auth/register -H "Content-Type: application/json" -d '{"agent_name":"weather-bot"}'`,
    '',
  );
  process.stdout.write(lines.join('\n'));
  // SIGINT/SIGTERM (also through npm, src/stop.ts): stop accepting, let the requests in flight finish (up
  // to --grace-period), save the state file if there is one, exit 0 (1 when the save failed).
  onStop(async (reason) => {
    process.stdout.write(`fluxra-fake: ${reason}, shutting down\n`);
    await fake.close();
  });
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  const usage = err instanceof UsageError;
  process.stderr.write(`fluxra-fake: ${message.replace(/\s*\n\s*/g, ' ')}${usage ? ' (see fluxra-fake --help)' : ''}\n`);
  process.exit(usage ? 2 : 1);
});
