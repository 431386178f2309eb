import { createTask } from 'node-cron';
import type { JobName } from './types.js';

/** A job's cron schedule as a predicate: does it fire in the second that starts at `at`? */
export interface Schedule {
  job: JobName;
  matches(at: Date): boolean;
}

export interface DueTick {
  job: JobName;
  /** The whole second the schedule names; every replica names the same one. */
  tick: Date;
}

/** A tick found later than this (the process was down, the loop stalled, the clock jumped) is not run. */
export const MAX_LATE_MS = 60_000;

const SECOND = 1000;

/**
 * Which ticks are due at `now`, every tick up to `checkedUntil` having been considered
 * already: for each job, the latest whole second in (checkedUntil, now] that its
 * schedule matches, and not earlier than `maxLateMs` before now. At most one per job,
 * so a timer that wakes late runs a job once, for its latest tick, rather than
 * replaying every tick it slept through; every job is idempotent, so the next run
 * catches up.
 */
export function dueTicks(
  schedules: readonly Schedule[],
  checkedUntil: Date,
  now: Date,
  maxLateMs = MAX_LATE_MS,
): DueTick[] {
  const last = Math.floor(now.getTime() / SECOND) * SECOND;
  const first = Math.max(Math.floor(checkedUntil.getTime() / SECOND) * SECOND + SECOND, last - maxLateMs);
  const due: DueTick[] = [];
  for (const s of schedules) {
    for (let t = last; t >= first; t -= SECOND) {
      const tick = new Date(t);
      if (s.matches(tick)) {
        due.push({ job: s.job, tick });
        break;
      }
    }
  }
  return due;
}

/** A cron expression (5 fields, or 6 with seconds) in a time zone, matched as node-cron matches it. */
export function cronSchedule(job: JobName, expression: string, timezone: string): Schedule {
  // A task that is never started: only its matcher is used, no timer is set.
  const task = createTask(expression, () => undefined, { timezone, name: `steward:${job}` });
  return { job, matches: (at) => task.match(at) };
}
