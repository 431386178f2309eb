/**
 * The sandbox's one clock, read by Steward, both simulators and the page: it runs at the
 * speed of real time from a chosen start, and the time control moves it forward (or, while
 * the directory history is replayed at start, sets it to past moments).
 */
export interface SandboxClock {
  now: () => Date;
  /** Milliseconds since the epoch, for the simulators. */
  ms: () => number;
  set: (at: Date | number) => void;
  advance: (ms: number) => void;
}

export function sandboxClock(start: Date | number, realNow: () => number = Date.now): SandboxClock {
  let offset = new Date(start).getTime() - realNow();
  const ms = () => realNow() + offset;
  return {
    now: () => new Date(ms()),
    ms,
    set(at) {
      offset = new Date(at).getTime() - realNow();
    },
    advance(by) {
      offset += by;
    },
  };
}

/** Today at 12:00 UTC: the scenario's "now", so its times of day never lie in the future. */
export function middayToday(realNow: number = Date.now()): Date {
  const d = new Date(realNow);
  d.setUTCHours(12, 0, 0, 0);
  return d;
}
