// A throwaway project outside the clone with only the packed tarball installed, as a user has it
// (test/consumer.test.ts). Offline and deterministic: `npm install <tgz>` offline fails (ENOTCACHED) because
// `npm ci` here fetched tarballs, not the registry documents npm needs to resolve version ranges. So the
// consumer's lock is made from ours: the tarball's own entry plus every entry of package-lock.json not marked
// `dev`, which npm keeps as exactly the package's production tree (same versions, same integrity hashes,
// same layout). `npm ci --offline` then installs it from the local cache and never asks the network.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/** The environment of a user's shell: nothing of the npm test or vitest run that spawned us leaks in. */
export function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|VITEST|NODE_OPTIONS$|NODE_ENV$|TEST$)/i.test(k)) env[k] = v;
  return { ...env, npm_config_offline: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', NO_COLOR: '1' };
}

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; a failure (or `code` other than expected) throws with its whole output. */
export function run(cmd: string, args: string[], cwd: string, opts: { timeoutMs?: number; expectCode?: number } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, env: userEnv(), timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number | null) : 0;
      const result = { code: typeof code === 'number' ? code : null, stdout, stderr };
      if (result.code !== (opts.expectCode ?? 0)) {
        reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${result.code ?? (err as Error)?.message}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
      } else resolve(result);
    });
  });
}

/** Starts a long-running command; `output()` holds stdout and stderr so far. */
export function start(cmd: string, args: string[], cwd: string): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(cmd, args, { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

export interface ConsumerProject {
  dir: string;
  tarball: string;
  pack: { filename: string; size: number; unpackedSize: number; entryCount: number };
  remove(): void;
}

/** `npm pack` of this repository (dist/ is built by npm test's global setup) installed into a fresh project. */
export async function makeConsumerProject(): Promise<ConsumerProject> {
  const dir = mkdtempSync(join(tmpdir(), 'fluxra-consumer-'));
  try {
    // --ignore-scripts: `prepare` would build again; the global setup already did.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
    const pack = JSON.parse(packed.stdout)[0] as ConsumerProject['pack'] & { integrity: string };
    const ours = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const spec = `file:${pack.filename}`;
    const packages: Record<string, unknown> = {
      '': { name: 'consumer', dependencies: { 'fluxra-fake': spec } },
      'node_modules/fluxra-fake': {
        version: ours.version,
        resolved: spec,
        integrity: pack.integrity,
        license: ours.license,
        dependencies: ours.dependencies,
        peerDependencies: ours.peerDependencies,
        peerDependenciesMeta: ours.peerDependenciesMeta,
        bin: ours.bin,
        engines: ours.engines,
      },
    };
    for (const [path, entry] of Object.entries(lock.packages)) if (path.startsWith('node_modules/') && !entry.dev) packages[path] = entry;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { 'fluxra-fake': spec } }, null, 2));
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2));
    await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], dir, { timeoutMs: 180_000 });
    return { dir, tarball: join(dir, pack.filename), pack, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
