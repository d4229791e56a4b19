// `--via-prism`: Prism 5.14.2 as an independent validating proxy in front of the target, without
// --errors (which would answer invalid requests itself and hide the target's own error handling).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { writeSpecForPrism } from './prism-spec.ts';

/**
 * Prism's CLI script, found through Node's module resolution from this package (an optional peer
 * dependency: only --via-prism needs it), or a one-line error that says how to install it.
 */
export function prismBin(): string {
  let manifest: string;
  try {
    manifest = createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json');
  } catch {
    throw new Error('--via-prism needs @stoplight/prism-cli, which is not installed: npm install --save-dev @stoplight/prism-cli@5.14.2');
  }
  const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: string | Record<string, string> }).bin;
  return join(dirname(manifest), typeof bin === 'string' ? bin : bin.prism);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const START_TIMEOUT_MS = 120_000;

export async function startPrism(upstream: string, specPath: string) {
  const bin = prismBin();
  const port = await freePort();
  const child = spawn(process.execPath, [bin, 'proxy', writeSpecForPrism(specPath), upstream, '-h', '127.0.0.1', '-p', String(port), '-v', 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  // Generous: Prism takes seconds to start, and many more on a loaded machine.
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prism exited (${child.exitCode}): ${log.slice(-500)}`);
    try {
      await fetch(`${url}/health`);
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill();
        throw new Error(`prism did not answer within ${START_TIMEOUT_MS / 1000} s: ${log.slice(-500)}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  return {
    url,
    close: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
