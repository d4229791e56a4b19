// The three servers the bench compares, each a child process pinned to CPU 0 (taskset) on loopback:
// the fake as `npm start` runs it (compiled, no request log), Prism's mock of the same openapi.yaml
// (quietest logging) and the plain Express floor (bench/plain-express.mjs). Start-up is measured from the
// spawn to the first 200 from GET /health, polled every 5 ms.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = join(import.meta.dirname, '..');
export type ServerName = 'fake' | 'prism' | 'express';
export const SERVERS: ServerName[] = ['fake', 'prism', 'express'];

export const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Runs `argv` pinned to `cpu` when taskset is there. */
export function pinned(cpu: number, argv: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const [cmd, ...args] = hasTaskset ? ['taskset', '-c', String(cpu), ...argv] : argv;
  return spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function command(name: ServerName, port: number): { argv: string[]; env?: NodeJS.ProcessEnv } {
  switch (name) {
    case 'fake':
      return { argv: [process.execPath, 'dist/src/cli.js', '--port', String(port), '--quiet'] };
    case 'prism':
      return { argv: [join(ROOT, 'node_modules/.bin/prism'), 'mock', 'openapi.yaml', '-h', '127.0.0.1', '-p', String(port), '--errors', 'false', '-v', 'silent'] };
    case 'express':
      return { argv: [process.execPath, 'bench/plain-express.mjs'], env: { PORT: String(port) } };
  }
}

export interface Running {
  name: ServerName;
  url: string;
  /** ms from spawn to the first 200 of GET /health */
  startupMs: number;
  stop(): Promise<void>;
}

export async function start(name: ServerName, timeoutMs = 60_000): Promise<Running> {
  const port = await freePort();
  const { argv, env } = command(name, port);
  const began = performance.now();
  const child = pinned(0, argv, env);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.resume();
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exited !== undefined) throw new Error(`${name} exited with ${exited} before answering /health:\n${stderr}`);
    if (performance.now() - began > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer /health within ${timeoutMs} ms:\n${stderr}`);
    }
    const ok = await fetch(`${url}/health`).then((r) => r.status === 200, () => false);
    if (ok) break;
    await sleep(5);
  }
  const startupMs = performance.now() - began;
  const stop = async () => {
    if (exited !== undefined) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  };
  return { name, url, startupMs, stop };
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
