// Processes that stop when told (src/stop.ts): `npm start` and `npx fluxra-fake` are started as a CI script
// does (`... &`), SIGTERM or SIGINT goes to the PID that script holds (npm's), and the port must be free
// within 5 s. Under npx, npm's child is `sh -c`, which passes neither signal on: the server watches it.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

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

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });

async function stopsWhenTold(command: string[], signal: NodeJS.Signals) {
  const port = await freePort();
  const child = spawn(command[0], [...command.slice(1), '--port', String(port), '--quiet'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  try {
    await expect.poll(() => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status, () => 0), { timeout: 60_000, interval: 100 }).toBe(200);
    child.kill(signal); // npm's PID: what `$!` holds
    const started = Date.now();
    await expect.poll(() => portIsFree(port), { timeout: 5_000, interval: 50 }).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    // The port is free once the listener closed; the line saying so may still be in the pipe.
    await expect.poll(() => out, { timeout: 10_000, interval: 50 }).toMatch(/shutting down/);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- output of ${command.join(' ')} ---\n${out}`);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

describe('stopping the fake through npm', () => {
  it.each([
    [['npm', 'start', '--'], 'SIGTERM'],
    [['npm', 'start', '--'], 'SIGINT'],
    [['npx', 'fluxra-fake'], 'SIGTERM'],
    [['npx', 'fluxra-fake'], 'SIGINT'],
  ] as [string[], NodeJS.Signals][])('%j: %s to npm frees the port within 5 s', (command, signal) => stopsWhenTold(command, signal), 90_000);
});
