/**
 * "+1 day / +1 week" on the sandbox page: the clock moves a day at a time, and after each
 * day the jobs whose schedule fell due in it run once, in the flow's order, through
 * Steward's own job runner (its lock, its job_runs row, its audit row). That is what the
 * scheduler does after a pause: a missed tick is not replayed, the next run catches up,
 * since every job is idempotent (jobs/scheduler.ts). So a visitor sees reminders on the
 * days the policy names, escalation when a review passes its due date, the timeout policy
 * act, and a kept item come back when its certification ends.
 */
import type { Clock } from '../domain/clock.js';
import type { JobOutcome } from '../jobs/run-job.js';
import { cronSchedule, type Schedule } from '../jobs/ticks.js';
import type { Job, JobName } from '../jobs/types.js';
import type { JobRun, TimeAdvance, TimeControl } from './page/index.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
/** The flow's order: what a job reads was written by the jobs before it. */
const FLOW: readonly JobName[] = ['sync', 'correlate', 'reminders', 'audit_witness'];

export interface TimeControlDeps {
  clock: { now: Clock; set: (at: Date | number) => void };
  jobs: readonly Job[];
  timezone: string;
  runJob: (name: JobName) => Promise<JobOutcome>;
}

/** Does `schedule` fire in (from, to]? Cron schedules name whole minutes (the sandbox's policy has no seconds field). */
export function firesBetween(schedule: Schedule, from: number, to: number): boolean {
  for (let t = Math.floor(from / MINUTE) * MINUTE + MINUTE; t <= to; t += MINUTE) {
    if (schedule.matches(new Date(t))) return true;
  }
  return false;
}

function describe(outcome: JobOutcome): Pick<JobRun, 'ok' | 'summary'> {
  if (outcome.status === 'failed') return { ok: false, summary: outcome.error };
  if (outcome.status === 'skipped') return { ok: true, summary: `skipped (${outcome.reason.replace(/_/g, ' ')})` };
  const counts = Object.entries(outcome.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k.replace(/([A-Z])/g, ' $1').toLowerCase()}`);
  return { ok: true, ...(counts.length ? { summary: counts.join(', ') } : {}) };
}

export function sandboxTimeControl(deps: TimeControlDeps): TimeControl {
  const schedules = deps.jobs.map((j) => cronSchedule(j.name, j.schedule, deps.timezone));
  return {
    now: () => deps.clock.now(),
    async advance(days: number): Promise<TimeAdvance> {
      const ran: JobRun[] = [];
      for (let day = 1; day <= days; day++) {
        const from = deps.clock.now().getTime();
        const to = from + DAY;
        const due = new Set(schedules.filter((s) => firesBetween(s, from, to)).map((s) => s.job));
        deps.clock.set(to);
        for (const job of FLOW) {
          if (!due.has(job)) continue;
          const outcome = await deps.runJob(job);
          ran.push({ job: days > 1 ? `${job} (day ${day})` : job, ...describe(outcome) });
        }
      }
      return { now: deps.clock.now(), ran };
    },
  };
}
