// `fluxra-fake`: serves the fake on loopback. Every flag has an environment variable (flag wins).
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parse } from 'yaml';
import type { Seed } from './control/seed.ts';
import { DEFAULTS } from './defaults.ts';
import { startFake, VERSION } from './index.ts';

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
    journalSize: num(opts.journalSize, toPositiveInt),
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
    control ? `  dashboard:  ${fake.url}/__fake/ui` : '  control:    off (--no-control)',
  ];
  if (control) lines.push(`  control:    ${fake.url}/__fake/openapi.yaml`);
  if (fake.seeded) {
    const agents = Object.entries(fake.seeded.agents as Record<string, { agent_id: string }>);
    lines.push(`  seeded:     ${agents.length} agent(s) from ${opts.seedFile}: ${agents.map(([ref, a]) => `${ref}=${a.agent_id}`).join(', ')}`);
  }
  lines.push(
    `  first call: curl -s -X POST ${fake.url}/api/auth/register -H "Content-Type: application/json" -d '{"agent_name":"weather-bot"}'`,
    '',
  );
  process.stdout.write(lines.join('\n'));
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`fluxra-fake: ${signal}, shutting down\n`);
    await fake.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`fluxra-fake: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
