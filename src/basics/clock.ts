// The fake's clock. Real time plus an offset, or frozen at an instant; the control plane moves it so
// tokens and keys expire when a test says so, and timestamps follow it.
export interface Clock {
  now(): Date;
  /** now() as milliseconds since the epoch, without making a Date (the request path reads it often). */
  nowMs(): number;
  /** RFC 3339 UTC with Z and whole seconds, as in the docs' examples (of a Date, or of ms since the epoch). */
  iso(date?: Date | number): string;
  freeze(at?: Date): void;
  unfreeze(): void;
  set(at: Date): void;
  advance(ms: number): void;
  state(): { now: string; frozen: boolean };
}

export function createClock(start?: Date): Clock {
  let frozenAt: number | null = start ? start.getTime() : null;
  let offset = 0;
  const nowMs = () => (frozenAt ?? Date.now() + offset);
  const clock: Clock = {
    now: () => new Date(nowMs()),
    nowMs,
    iso(date: Date | number = nowMs()) {
      const text = (typeof date === 'number' ? new Date(date) : date).toISOString();
      // 2026-04-03T20:00:00.000Z: drop the milliseconds (years past 9999 are longer: the general rule)
      return text.length === 24 ? `${text.slice(0, 19)}Z` : text.replace(/\.\d{3}Z$/, 'Z');
    },
    freeze(at) {
      frozenAt = at ? at.getTime() : nowMs();
    },
    unfreeze() {
      if (frozenAt !== null) offset = frozenAt - Date.now();
      frozenAt = null;
    },
    set(at) {
      if (frozenAt !== null) frozenAt = at.getTime();
      else offset = at.getTime() - Date.now();
    },
    advance(ms) {
      if (frozenAt !== null) frozenAt += ms;
      else offset += ms;
    },
    state: () => ({ now: clock.iso(), frozen: frozenAt !== null }),
  };
  return clock;
}
