import type { Logger } from '../log.js';
import { runJob, type RunJobDeps } from './run-job.js';
import { cronSchedule, dueTicks } from './ticks.js';
import type { Job, JobName } from './types.js';

export interface Scheduler {
  start(): void;
  /** Stops scheduling and aborts nothing: waits (bounded) for runs in progress to finish. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Just past the next whole second of the clock, so a tick is looked for once it has begun. */
const msToNextSecond = (now: Date) => 1000 - (now.getTime() % 1000) + 5;

/**
 * Cron schedules in the policy's time zone, checked every second against the services'
 * clock: `dueTicks` says which ticks have come. Every replica keeps the schedule;
 * runJob's lock and tick row make exactly one of them do each run. A run still busy
 * when its next tick comes is not overlapped (that tick is skipped), and a tick missed
 * while the process was down is not replayed: the next one catches up, since every job
 * is idempotent.
 */
export function createScheduler(deps: RunJobDeps & { jobs: Job[]; timezone: string; logger: Logger }): Scheduler {
  const jobs = new Map<JobName, Job>(deps.jobs.map((j) => [j.name, j]));
  const schedules = deps.jobs.map((j) => cronSchedule(j.name, j.schedule, deps.timezone));
  const running = new Map<JobName, Promise<unknown>>();
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const launch = (name: JobName, tick: Date) => {
    const job = jobs.get(name)!;
    if (running.has(name)) {
      deps.logger.warn({ job: name, tick }, 'job still running when its next tick came; tick skipped');
      return;
    }
    const p = runJob(deps, job, { scheduledFor: tick, signal: abort.signal })
      .catch((err: unknown) => deps.logger.error({ err, job: name, tick }, 'scheduled run could not start'))
      .finally(() => running.delete(name));
    running.set(name, p);
  };

  return {
    start() {
      let checkedUntil = deps.now();
      const beat = () => {
        if (stopped) return;
        const now = deps.now();
        for (const { job, tick } of dueTicks(schedules, checkedUntil, now)) launch(job, tick);
        checkedUntil = now;
        timer = setTimeout(beat, msToNextSecond(now));
      };
      timer = setTimeout(beat, msToNextSecond(checkedUntil));
      deps.logger.info(
        { jobs: deps.jobs.map((j) => `${j.name} "${j.schedule}"`), timezone: deps.timezone },
        'scheduler started',
      );
    },
    async stop(timeoutMs = 10_000) {
      stopped = true;
      clearTimeout(timer);
      abort.abort();
      await Promise.race([Promise.allSettled(running.values()), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    },
  };
}
