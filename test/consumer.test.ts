// The package as its users get it (issue 9): `npm pack`, the tarball installed offline into a throwaway
// project under the system's temp directory (test/support/consumer-project.ts), then, in that project only:
// ESM import and CommonJS require under plain node, `tsc --strict` of a typed consumer with the package's
// declarations checked too (skipLibCheck off), the README's vitest globalSetup and client test run by the
// consumer's own vitest, both CLIs through npx, and `npx fluxra-contract` against a fake started by
// `npx fluxra-fake`, conforming, with a JUnit report. Nothing here imports our sources.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConsumerProject, ROOT, run, start, type ConsumerProject } from './support/consumer-project.ts';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

/** The fenced code block of README.md that contains `marker`, as a user would copy it. */
function readmeBlock(marker: string): string {
  const blocks = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]);
  const found = blocks.filter((b) => b.includes(marker));
  if (found.length !== 1) throw new Error(`README.md has ${found.length} code blocks containing ${JSON.stringify(marker)}; expected 1`);
  return found[0];
}

let project: ConsumerProject;
const file = (path: string, text: string) => {
  mkdirSync(join(project.dir, path, '..'), { recursive: true });
  writeFileSync(join(project.dir, path), text);
};
const node = (args: string[]) => run(process.execPath, args, project.dir);

beforeAll(async () => {
  project = await makeConsumerProject();
}, 240_000);

afterAll(() => project?.remove());

// Starts, asks /health, stops: the same program in both module systems.
const program = (load: string) => `${load}
(async () => {
  const fake = await startFake({ port: 0 });
  const res = await fetch(fake.url + '/health');
  console.log(JSON.stringify({ status: res.status, body: await res.json(), version: VERSION }));
  await fake.close();
})();
`;

describe('the packed package in a fresh project', () => {
  it('installs only what users need: no sources, tests or TypeScript runner', () => {
    const installed = join(project.dir, 'node_modules', 'fluxra-fake');
    expect(existsSync(join(installed, 'dist', 'src', 'index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'src', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'LICENSE'))).toBe(true);
    for (const absent of ['test', 'bench', 'src/index.ts', 'tsconfig.json', '.ci']) expect(existsSync(join(installed, absent)), absent).toBe(false);
    expect(existsSync(join(project.dir, 'node_modules', 'tsx')), 'tsx installed for users').toBe(false);
  });

  it('ESM: import { startFake } from "fluxra-fake" under plain node', async () => {
    file('esm.mjs', program(`import { startFake, VERSION } from 'fluxra-fake';`));
    const { stdout } = await node(['esm.mjs']);
    expect(JSON.parse(stdout)).toMatchObject({ status: 200, body: { status: 'healthy' }, version: VERSION });
  }, 60_000);

  it('CommonJS: require("fluxra-fake") (Node require of ES modules)', async () => {
    file('cjs.cjs', program(`const { startFake, VERSION } = require('fluxra-fake');`));
    const { stdout } = await node(['cjs.cjs']);
    expect(JSON.parse(stdout)).toMatchObject({ status: 200, body: { status: 'healthy' }, version: VERSION });
  }, 60_000);

  it('TypeScript: tsc --noEmit --strict of a typed consumer, the package declarations checked too', async () => {
    file(
      'typed/consumer.ts',
      `import { createFake, startFake, VERSION, type FakeOptions, type RunningFake, type Seed } from 'fluxra-fake';

const options: FakeOptions = { seed: 42, cors: true, tokenTtlSeconds: 60 };
const fake: RunningFake = await startFake({ ...options, port: 0 });
const seed: Seed = { agents: [{ ref: 'bot', agent_name: 'weather-bot' }] };
await fake.control.seed(seed);
const url: string = fake.url;
const version: string = VERSION;
const { app } = createFake();
app.get('/extra', (_req, res) => void res.send('ok'));
await fake.close();
console.log(url, version);

// The types are real, not any: a misspelt option is an error.
// @ts-expect-error unknown option
await startFake({ prot: 0 });
`,
    );
    file('typed/require.cts', `import fluxra = require('fluxra-fake');\nconst start: typeof fluxra.startFake = fluxra.startFake;\nexport = start;\n`);
    file(
      'typed/tsconfig.json',
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false }, files: ['consumer.ts', 'require.cts'] }),
    );
    const { stdout } = await run(process.execPath, [TSC, '-p', 'typed/tsconfig.json'], project.dir); // throws with tsc's errors
    expect(stdout).toBe('');
  }, 300_000);

  it("vitest: the README's globalSetup and client test, importing 'fluxra-fake', run by the consumer's vitest", async () => {
    file('vitest.config.ts', readmeBlock("globalSetup: ['./test/fluxra-global-setup.ts']"));
    file('test/fluxra-global-setup.ts', readmeBlock('export default async function setup(project: TestProject)'));
    file('test/client.test.ts', readmeBlock("describe('my client against the Fluxra fake'"));
    expect(readFileSync(join(project.dir, 'test/fluxra-global-setup.ts'), 'utf8')).toContain("from 'fluxra-fake'");
    const { stdout } = await run(join(project.dir, 'node_modules', '.bin', 'vitest'), ['run', '--reporter=verbose'], project.dir);
    expect(stdout).toMatch(/gets a new token when the old one expires/);
    expect(stdout).toMatch(/Tests\s+1 passed/);
  }, 300_000);

  it('npx fluxra-fake --help and --version; a usage error exits 2', async () => {
    const help = await run('npx', ['fluxra-fake', '--help'], project.dir);
    expect(help.stdout).toMatch(/^Usage: fluxra-fake/);
    const version = await run('npx', ['fluxra-fake', '--version'], project.dir);
    expect(version.stdout.trim()).toBe(VERSION);
    const bad = await run('npx', ['fluxra-fake', '--no-such-flag'], project.dir, { expectCode: 2 });
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const contractHelp = await run('npx', ['fluxra-contract', '--help'], project.dir);
    expect(contractHelp.stdout).toMatch(/^Usage: fluxra-contract/);
  }, 90_000);

  it('npx fluxra-contract --base-url <npx fluxra-fake> --report junit=...: conforms and writes JUnit; the shipped Quickstart script passes', async () => {
    const fake = start('npx', ['fluxra-fake', '--port', '0', '--quiet'], project.dir);
    try {
      await expect.poll(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.test(fake.output()), { timeout: 60_000, interval: 100 }).toBe(true);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(fake.output())![1];
      const report = join(project.dir, 'reports', 'contract.xml');
      const contract = await run('npx', ['fluxra-contract', '--base-url', url, '--report', `junit=${report}`], project.dir, { timeoutMs: 180_000 });
      expect(contract.stdout).toMatch(/CONFORMS: \d+ passed, 0 failed/);
      const junit = readFileSync(report, 'utf8');
      expect(junit).toMatch(/^<\?xml/);
      const failures = [...junit.matchAll(/<testsuite [^>]*failures="(\d+)"/g)].map((m) => Number(m[1]));
      expect(failures.length).toBeGreaterThan(0);
      expect(failures.every((n) => n === 0)).toBe(true);
      expect(junit).not.toContain('<failure');
      expect(junit).toContain('classname="sendMessage"');
      // The README's Quickstart command in a user's project (curl and jq are on this machine's PATH).
      const quickstart = await run('bash', [join('node_modules', 'fluxra-fake', 'scripts', 'quickstart.sh'), url], project.dir);
      expect(quickstart.stdout).toContain(`QUICKSTART OK against ${url}`);
      fake.child.kill('SIGTERM'); // npm's PID, as `kill $!` in a CI script: the server goes too
      await expect.poll(() => fetch(`${url}/health`).then(() => 'answering', () => 'gone'), { timeout: 10_000, interval: 100 }).toBe('gone');
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- npx fluxra-fake output ---\n${fake.output()}`);
    } finally {
      if (fake.child.exitCode === null) fake.child.kill('SIGKILL');
    }
  }, 240_000);
});
