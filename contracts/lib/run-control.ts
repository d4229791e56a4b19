// When a `fluxra-contract` run stops before its end: SIGINT/SIGTERM, the --deadline, or the governor
// (a Retry-After over --max-retry-after). The first reason wins and is what the report says; every
// listener is told once (the governor stops forwarding, vitest cancels the run). If the run has not wound
// down `graceMs` after the stop (a test stuck in a hook), `onForce` writes the reports with what is known
// and exits; a second signal forces at once.
export class RunControl {
  private reason: string | undefined;
  private readonly listeners: ((reason: string) => void)[] = [];
  private forceTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: { graceMs: number; onForce: (reason: string) => void }) {}

  get stopped(): string | undefined {
    return this.reason;
  }

  onStop(fn: (reason: string) => void) {
    this.listeners.push(fn);
    if (this.reason) fn(this.reason);
  }

  stop(reason: string) {
    if (this.reason) return;
    this.reason = reason;
    for (const fn of this.listeners) {
      try {
        fn(reason);
      } catch { /* a listener's failure must not keep the others from stopping */ }
    }
    this.forceTimer = setTimeout(() => this.options.onForce(reason), this.options.graceMs);
    this.forceTimer.unref();
  }

  private readonly handlers = new Set<(...args: unknown[]) => void>();

  /** SIGINT and SIGTERM stop the run; a second one forces the end. */
  handleSignals() {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const handler = () => {
        if (this.reason) this.options.onForce(this.reason);
        else this.stop(`${signal} received`);
      };
      this.handlers.add(handler);
      process.on(signal, handler);
    }
  }

  /** vitest's logger exits the process on SIGINT/SIGTERM (before any report is written): only ours stay. */
  reclaimSignals() {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const l of process.listeners(signal)) if (!this.handlers.has(l as (...args: unknown[]) => void)) process.off(signal, l);
    }
  }

  /** Stops the run `seconds` after `since` (the program's start, ms). */
  deadline(seconds: number | undefined, since = Date.now()) {
    if (seconds === undefined) return;
    const left = Math.max(0, since + seconds * 1000 - Date.now());
    this.deadlineTimer = setTimeout(() => this.stop(`the deadline of ${seconds} s (--deadline) was reached`), left);
    this.deadlineTimer.unref();
  }

  /** The run is over: no deadline, no forced end. The signal handlers stay (the reports are being written). */
  dispose() {
    clearTimeout(this.forceTimer);
    clearTimeout(this.deadlineTimer);
  }
}
