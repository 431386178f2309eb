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

/** Several days' runs of one job, as one line: how many runs, failures, and the counts summed. */
class JobTally {
  runs = 0;
  failed: string[] = [];
  skipped = 0;
  counts = new Map<string, number>();

  add(outcome: JobOutcome): void {
    this.runs++;
    if (outcome.status === 'failed') this.failed.push(outcome.error);
    else if (outcome.status === 'skipped') this.skipped++;
    else
      for (const [k, n] of Object.entries(outcome.counts))
        // A sequence number (the audit head witnessed) is a position, not an amount: keep the latest.
        this.counts.set(k, k.endsWith('Seq') ? n : (this.counts.get(k) ?? 0) + n);
  }

  run(job: JobName): JobRun {
    const words = [...this.counts]
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k.replace(/([A-Z])/g, ' $1').toLowerCase()}`);
    if (this.runs > 1) words.unshift(`${this.runs} runs`);
    if (this.skipped) words.push(`${this.skipped} skipped (running elsewhere)`);
    if (this.failed.length) words.push(`failed: ${this.failed.join('; ')}`);
    return { job, ok: this.failed.length === 0, ...(words.length ? { summary: words.join(', ') } : {}) };
  }
}

export function sandboxTimeControl(deps: TimeControlDeps): TimeControl {
  const schedules = deps.jobs.map((j) => cronSchedule(j.name, j.schedule, deps.timezone));
  return {
    now: () => deps.clock.now(),
    async advance(days: number): Promise<TimeAdvance> {
      const tallies = new Map<JobName, JobTally>();
      for (let day = 1; day <= days; day++) {
        const from = deps.clock.now().getTime();
        const to = from + DAY;
        const due = new Set(schedules.filter((s) => firesBetween(s, from, to)).map((s) => s.job));
        deps.clock.set(to);
        for (const job of FLOW) {
          if (!due.has(job)) continue;
          const tally = tallies.get(job) ?? new JobTally();
          tallies.set(job, tally);
          tally.add(await deps.runJob(job));
        }
      }
      return { now: deps.clock.now(), ran: FLOW.filter((j) => tallies.has(j)).map((j) => tallies.get(j)!.run(j)) };
    },
  };
}
