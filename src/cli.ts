// `fluxra-fake`: serves the fake on loopback. Every flag has an environment variable (flag wins).
import { Command, Option } from 'commander';
import { startFake } from './index.ts';

const program = new Command()
  .name('fluxra-fake')
  .description('A stateful in-memory fake of the Fluxra Chat API, driven by openapi.yaml.')
  .addOption(new Option('-p, --port <port>', 'port to listen on (0: any free port)').env('PORT').default('4010').argParser(toPort))
  .addOption(new Option('-H, --host <host>', 'address to bind').env('HOST').default('127.0.0.1'))
  .addOption(new Option('--token-ttl <seconds>', 'access-token lifetime in seconds').env('FLUXRA_FAKE_TOKEN_TTL').default('3600').argParser(toPositiveInt))
  .addOption(new Option('--seed <seed>', 'make ids, secrets and codes repeat exactly from run to run').env('FLUXRA_FAKE_SEED'))
  .addOption(new Option('--max-tenants <n>', 'most isolated tenants (X-Fluxra-Tenant) held at once').env('FLUXRA_FAKE_MAX_TENANTS').default('1000').argParser(toPositiveInt))
  .addOption(new Option('--plain-text-401', 'answer 401 as text/plain (the documented middleware caveat)').env('FLUXRA_FAKE_PLAIN_TEXT_401'))
  .addOption(new Option('-q, --quiet', 'no request log').env('FLUXRA_FAKE_QUIET'))
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

async function main() {
  program.parse();
  const opts = program.opts();
  const fake = await startFake({
    port: typeof opts.port === 'number' ? opts.port : toPort(opts.port),
    host: opts.host,
    seed: opts.seed,
    tokenTtlSeconds: typeof opts.tokenTtl === 'number' ? opts.tokenTtl : toPositiveInt(opts.tokenTtl),
    maxTenants: typeof opts.maxTenants === 'number' ? opts.maxTenants : toPositiveInt(opts.maxTenants),
    plainText401: Boolean(opts.plainText401),
    logger: opts.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(
    [
      `fluxra-fake listening on ${fake.url}`,
      `  health:     ${fake.url}/health`,
      `  first call: curl -s -X POST ${fake.url}/api/auth/register -H "Content-Type: application/json" -d '{"agent_name":"weather-bot"}'`,
      '',
    ].join('\n'),
  );
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
