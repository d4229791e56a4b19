// `fluxra-fake`: serves the fake on loopback. Every flag has an environment variable (flag wins).
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parse } from 'yaml';
import type { Seed } from './control/seed.ts';
import { DEFAULTS } from './defaults.ts';
import { startFake, VERSION, type RunningFake } from './index.ts';

const program = new Command()
  .name('fluxra-fake')
  .version(VERSION)
  .description('A stateful in-memory fake of the Fluxra Chat API, driven by openapi.yaml.')
  .addOption(new Option('-p, --port <port>', 'port to listen on (0: any free port)').env('PORT').default(String(DEFAULTS.port)).argParser(toPort))
  .addOption(new Option('-H, --host <host>', 'address to bind').env('HOST').default(DEFAULTS.host))
  .addOption(new Option('--token-ttl <seconds>', 'access-token lifetime in seconds').env('FLUXRA_FAKE_TOKEN_TTL').default(String(DEFAULTS.tokenTtlSeconds)).argParser(toPositiveInt))
  .addOption(new Option('--seed <seed>', 'make ids, secrets and codes repeat exactly from run to run').env('FLUXRA_FAKE_SEED'))
  .addOption(new Option('--seed-file <path>', 'seed the default tenant at start from a JSON or YAML file (control API seed format)').env('FLUXRA_FAKE_SEED_FILE'))
  .addOption(new Option('--freeze-clock <instant>', 'start every tenant with its clock frozen at this RFC 3339 instant').env('FLUXRA_FAKE_FREEZE_CLOCK'))
  .addOption(new Option('--max-tenants <n>', 'most isolated tenants (X-Fluxra-Tenant) held at once').env('FLUXRA_FAKE_MAX_TENANTS').default(String(DEFAULTS.maxTenants)).argParser(toPositiveInt))
  .addOption(new Option('--journal-size <n>', 'request-journal entries kept per tenant').env('FLUXRA_FAKE_JOURNAL_SIZE').default(String(DEFAULTS.journalSize)).argParser(toPositiveInt))
  .addOption(new Option('--journal-budget <bytes>', 'request-journal bytes kept across all tenants (k/m suffixes)').env('FLUXRA_FAKE_JOURNAL_BUDGET').default(String(DEFAULTS.journalBudgetBytes)).argParser(toBytes))
  .addOption(new Option('--journal-body-limit <bytes>', 'a journalled body larger than this is kept as its size only').env('FLUXRA_FAKE_JOURNAL_BODY_LIMIT').default(String(DEFAULTS.journalBodyBytes)).argParser(toBytes))
  .addOption(new Option('--body-limit <bytes>', 'largest API request body (413 past it)').env('FLUXRA_FAKE_BODY_LIMIT').default(String(DEFAULTS.bodyLimitBytes)).argParser(toBytes))
  .addOption(new Option('--max-json-depth <n>', 'deepest nesting of an API request body (400 past it)').env('FLUXRA_FAKE_MAX_JSON_DEPTH').default(String(DEFAULTS.maxJsonDepth)).argParser(toPositiveInt))
  .addOption(new Option('--tenant-idle <seconds>', 'drop a tenant (not the default one) unused this long; 0: never').env('FLUXRA_FAKE_TENANT_IDLE').default(String(DEFAULTS.tenantIdleSeconds)).argParser(toNonNegative))
  .addOption(new Option('--max-agents <n>', 'most agents per tenant (409 past it)').env('FLUXRA_FAKE_MAX_AGENTS').default(String(DEFAULTS.maxAgents)).argParser(toPositiveInt))
  .addOption(new Option('--max-conversations <n>', 'most conversations per tenant').env('FLUXRA_FAKE_MAX_CONVERSATIONS').default(String(DEFAULTS.maxConversations)).argParser(toPositiveInt))
  .addOption(new Option('--max-keys-per-agent <n>', 'most API keys per agent').env('FLUXRA_FAKE_MAX_KEYS_PER_AGENT').default(String(DEFAULTS.maxKeysPerAgent)).argParser(toPositiveInt))
  .addOption(new Option('--max-members <n>', 'most members of one conversation').env('FLUXRA_FAKE_MAX_MEMBERS').default(String(DEFAULTS.maxMembers)).argParser(toPositiveInt))
  .addOption(new Option('--max-messages <n>', 'most messages of one conversation').env('FLUXRA_FAKE_MAX_MESSAGES').default(String(DEFAULTS.maxMessages)).argParser(toPositiveInt))
  .addOption(new Option('--headers-timeout <ms>', 'a request whose headers have not arrived after this long is answered 408').env('FLUXRA_FAKE_HEADERS_TIMEOUT').default(String(DEFAULTS.headersTimeoutMs)).argParser(toPositiveInt))
  .addOption(new Option('--request-timeout <ms>', 'a request not fully arrived after this long is answered 408').env('FLUXRA_FAKE_REQUEST_TIMEOUT').default(String(DEFAULTS.requestTimeoutMs)).argParser(toPositiveInt))
  .addOption(new Option('--grace-period <ms>', 'on SIGTERM/SIGINT, requests in flight get this long to finish').env('FLUXRA_FAKE_GRACE_PERIOD').default(String(DEFAULTS.gracePeriodMs)).argParser(toNonNegative))
  .addOption(new Option('--state-file <path>', 'load the state at start, save it atomically on shutdown, on POST /__fake/snapshot/save and every --state-interval').env('FLUXRA_FAKE_STATE_FILE'))
  .addOption(new Option('--state-interval <seconds>', 'with --state-file, also save this often; 0: only on shutdown and on request').env('FLUXRA_FAKE_STATE_INTERVAL').default(String(DEFAULTS.stateSaveSeconds)).argParser(toNonNegative))
  .addOption(new Option('--allow-host <names>', 'host names (comma-separated) besides loopback ones that may reach the control plane').env('FLUXRA_FAKE_ALLOW_HOST'))
  .addOption(new Option('--control-token <token>', 'require Authorization: Bearer <token> on the control plane').env('FLUXRA_FAKE_CONTROL_TOKEN'))
  .addOption(new Option('--no-control', 'do not serve the control plane (/__fake/* answers 404)').env('FLUXRA_FAKE_NO_CONTROL'))
  .addOption(new Option('--plain-text-401', 'answer 401 as text/plain (the documented middleware caveat)').env('FLUXRA_FAKE_PLAIN_TEXT_401'))
  .addOption(new Option('-q, --quiet', 'no request log').env('FLUXRA_FAKE_QUIET'))
  .addHelpText('after', '\nBoolean variables (FLUXRA_FAKE_NO_CONTROL, FLUXRA_FAKE_PLAIN_TEXT_401, FLUXRA_FAKE_QUIET) switch on when set to any value.')
  .showHelpAfterError();

function toPort(value: string) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`invalid port "${value}"`);
  return n;
}
function toPositiveInt(value: string) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got "${value}"`);
  return n;
}
function toNonNegative(value: string) {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`expected a number >= 0, got "${value}"`);
  return n;
}
/** Bytes, with an optional k or m suffix (KiB, MiB). */
function toBytes(value: string) {
  const m = /^(\d+)\s*([kKmM]?)(?:i?[bB])?$/.exec(value.trim());
  if (!m || Number(m[1]) < 1) throw new Error(`expected a size in bytes (e.g. 65536, 512k, 1m), got "${value}"`);
  return Number(m[1]) * ({ '': 1, k: 1024, m: 1024 * 1024 } as Record<string, number>)[m[2].toLowerCase()];
}
const num = (value: unknown, parser: (v: string) => number) => (typeof value === 'number' ? value : parser(String(value)));

function readSeedFile(path: string): Seed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read --seed-file ${path}: ${(err as Error).message}`);
  }
  // YAML is a superset of JSON: one parser reads both.
  const seed = parse(text) as unknown;
  if (!seed || typeof seed !== 'object' || Array.isArray(seed)) throw new Error(`--seed-file ${path}: expected an object with agents, conversations, blocks`);
  return seed as Seed;
}

function clockStart(value: string | undefined) {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`--freeze-clock: "${value}" is not an RFC 3339 instant`);
  return new Date(ms);
}

async function main() {
  program.parse();
  const opts = program.opts();
  const control = opts.control !== false;
  const fake = await startFake({
    port: num(opts.port, toPort),
    host: opts.host,
    seed: opts.seed,
    tokenTtlSeconds: num(opts.tokenTtl, toPositiveInt),
    maxTenants: num(opts.maxTenants, toPositiveInt),
    tenantIdleSeconds: num(opts.tenantIdle, toNonNegative),
    journalSize: num(opts.journalSize, toPositiveInt),
    journalBudgetBytes: num(opts.journalBudget, toBytes),
    journalBodyBytes: num(opts.journalBodyLimit, toBytes),
    bodyLimitBytes: num(opts.bodyLimit, toBytes),
    maxJsonDepth: num(opts.maxJsonDepth, toPositiveInt),
    maxAgents: num(opts.maxAgents, toPositiveInt),
    maxConversations: num(opts.maxConversations, toPositiveInt),
    maxKeysPerAgent: num(opts.maxKeysPerAgent, toPositiveInt),
    maxMembers: num(opts.maxMembers, toPositiveInt),
    maxMessages: num(opts.maxMessages, toPositiveInt),
    headersTimeoutMs: num(opts.headersTimeout, toPositiveInt),
    requestTimeoutMs: num(opts.requestTimeout, toPositiveInt),
    gracePeriodMs: num(opts.gracePeriod, toNonNegative),
    stateFile: opts.stateFile,
    stateSaveSeconds: num(opts.stateInterval, toNonNegative),
    allowHosts: opts.allowHost ? String(opts.allowHost).split(',').map((h) => h.trim()).filter(Boolean) : undefined,
    controlToken: opts.controlToken,
    plainText401: Boolean(opts.plainText401),
    clockStart: clockStart(opts.freezeClock),
    control,
    seedData: opts.seedFile ? readSeedFile(opts.seedFile) : undefined,
    logger: opts.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
  });
  const lines = [
    `fluxra-fake ${VERSION} listening on ${fake.url}`,
    `  base URL:   ${fake.url}`,
    `  docs:       ${fake.url}/docs/`,
    control ? `  dashboard:  ${fake.url}/__fake/ui${opts.controlToken ? '#token=<your --control-token>' : ''}` : '  control:    off (--no-control)',
  ];
  if (control) lines.push(`  control:    ${fake.url}/__fake/openapi.yaml${opts.controlToken ? ' (Authorization: Bearer <your --control-token>)' : ''}`);
  if (opts.stateFile) {
    const restored = fake.restoredState;
    lines.push(`  state:      ${opts.stateFile} (${restored ? `loaded ${restored.tenants.length} tenant(s) saved at ${restored.saved_at}` : 'new'}; saved on shutdown${num(opts.stateInterval, toNonNegative) > 0 ? ` and every ${opts.stateInterval} s` : ''})`);
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
  process.on('SIGINT', () => void shutdown(fake, 'SIGINT'));
  process.on('SIGTERM', () => void shutdown(fake, 'SIGTERM'));
}

let signals = 0;
/**
 * SIGINT/SIGTERM: stop accepting, let the requests in flight finish (up to --grace-period), save the state
 * file if there is one, exit 0 (1 when the save failed). A second signal cuts the grace period short.
 */
async function shutdown(fake: RunningFake, signal: string) {
  if (++signals > 1) {
    process.stdout.write(`fluxra-fake: ${signal} again, closing open connections now\n`);
    void fake.close({ gracePeriodMs: 0 });
    return;
  }
  process.stdout.write(`fluxra-fake: ${signal}, shutting down\n`);
  try {
    await fake.close();
    process.exit(0);
  } catch (err) {
    process.stderr.write(`fluxra-fake: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

main().catch((err) => {
  process.stderr.write(`fluxra-fake: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
