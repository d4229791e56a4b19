// The fake as a separate process (bin/fluxra-fake.js), for the tests where a real process is the point:
// signals, the state file across restarts, SIGKILL. Resolves once the banner is out; a start that fails
// rejects with the child's stderr, so a failure says why.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'fluxra-fake.js');

export interface FakeProcess {
  child: ChildProcess;
  url: Promise<string>;
  exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
}

const running = new Set<ChildProcess>();

/** Kills what is still running (afterEach). */
export function killAll() {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
}

export function startFakeProcess(args: string[], env: Record<string, string> = {}): FakeProcess {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--quiet', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && out.includes('first call:')) resolve(m[1]);
    });
    child.on('exit', (code, signal) => reject(new Error(`fluxra-fake exited (${code ?? signal}) before it was ready: ${err || out}`)));
  });
  url.catch(() => {});
  return { child, url, exited, stdout: () => out, stderr: () => err };
}
