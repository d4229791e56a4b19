// When the `fluxra-fake` process stops: SIGTERM or SIGINT, and also when the npm process that launched it
// is told to stop. npm forwards SIGTERM/SIGINT only to its own child, and under `npx fluxra-fake` (and any
// package script that does not `exec`) that child is `sh -c`, which passes neither on: SIGTERM kills the
// shell and leaves the server running, reparented, with the port taken (`npx fluxra-fake & ...; kill $!`
// in CI); SIGINT the shell holds until its child exits, which it never does. So when launched through npm
// the server watches the launcher chain (the shell and npm, from /proc) and stops when
// - one of them is gone (the shell died of the forwarded SIGTERM, or npm was killed), or
// - the shell woke up: `sh -c` sleeps in wait() for its only child, this server, and wakes only for a
//   signal or a change of that child, so a context switch of the shell while we run is npm forwarding a
//   signal to it (the shell's /proc/<pid>/status counts them).
// `npm start` runs `exec node ...`, so there npm signals this process directly and nothing is watched.
// One place for "stop now": the CLI passes what to do (close the server), and a second signal forces exit.
import { readFileSync } from 'node:fs';

const SHELLS = new Set(['sh', 'dash', 'bash', 'zsh', 'ash', 'ksh']);
const WATCH_MS = 200;
const REPEAT_MS = 1000;

function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces or parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

const isShell = (argv: string[]) => SHELLS.has(argv[0]?.split('/').pop() ?? '') && argv.includes('-c');
// npm sets its process title to "npm exec ...", "npm start", "npm run ..." (so /proc shows that).
const isNpm = (argv: string[]) => /^(npm|npx)(\s|$)/.test(argv[0] ?? '') || argv.some((a) => /[\\/](npm|npx)-cli\.js$/.test(a));

export interface Launcher {
  pid: number;
  /** A `sh -c` wrapper (watched for wake-ups too), or npm itself. */
  shell: boolean;
}

/**
 * The npm launcher chain above this process: the `sh -c` wrappers, if any, then npm; [] when this process
 * was not started by npm (then nothing is watched: a server started by `nohup ... &` outlives its shell).
 */
export function npmLaunchers(): Launcher[] {
  if (!process.env.npm_command && !process.env.npm_lifecycle_event) return [];
  const chain: Launcher[] = [];
  for (let pid = process.ppid, depth = 0; pid > 1 && depth < 4; pid = parentOf(pid) ?? 0, depth++) {
    const argv = commandLine(pid);
    if (!argv) return process.platform === 'linux' ? [] : [{ pid: process.ppid, shell: false }]; // no /proc: the parent only
    if (isNpm(argv)) return [...chain, { pid, shell: false }];
    if (!isShell(argv)) return [];
    chain.push({ pid, shell: true });
  }
  return [];
}

/** How often the process has been switched out (it sleeps, then wakes): voluntary + involuntary. */
function contextSwitches(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const count = (name: string) => Number(new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    const total = count('voluntary_ctxt_switches') + count('nonvoluntary_ctxt_switches');
    return Number.isNaN(total) ? undefined : total;
  } catch {
    return undefined;
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Calls `stop(reason)` once on SIGTERM, SIGINT or the launcher's exit. A signal repeated later than
 * REPEAT_MS exits at once (code 1); sooner it is the same one delivered twice (Ctrl-C under `npm start`
 * reaches both npm, which forwards it, and this process), and is ignored.
 */
export function onStop(stop: (reason: string) => Promise<void>): void {
  let stoppedAt: number | undefined;
  const trigger = (reason: string) => {
    if (stoppedAt !== undefined) {
      if (Date.now() - stoppedAt < REPEAT_MS) return;
      process.stderr.write(`fluxra-fake: ${reason} again, exiting now\n`);
      process.exit(1);
    }
    stoppedAt = Date.now();
    clearInterval(watch);
    stop(reason).then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`fluxra-fake: error while stopping: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => trigger('SIGINT'));
  process.on('SIGTERM', () => trigger('SIGTERM'));
  const launchers = npmLaunchers();
  const ppid = process.ppid;
  const shells = new Map(launchers.filter((l) => l.shell).map((l) => [l.pid, contextSwitches(l.pid)]));
  const watch = setInterval(() => {
    if (!launchers.length) return;
    if (process.ppid !== ppid || !launchers.every((l) => alive(l.pid))) return trigger('launcher (npm) exited');
    for (const [pid, before] of shells) {
      const now = contextSwitches(pid);
      if (before !== undefined && now !== undefined && now !== before) return trigger('launcher (npm) signalled');
    }
  }, WATCH_MS);
  watch.unref();
}
