import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.js';
import { runJob, type RunJobDeps } from './run-job.js';
import type { Job } from './types.js';

export interface Scheduler {
  start(): void;
  /** Stops scheduling and aborts nothing: waits (bounded) for runs in progress to finish. */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * node-cron timers in the policy's time zone. Every replica keeps the timers; runJob's
 * lock and tick row make exactly one of them do each run. A run still busy when its
 * next tick comes is not overlapped (noOverlap), and a tick missed while the process
 * was down is not replayed: the next one catches up, since every job is idempotent.
 */
export function createScheduler(deps: RunJobDeps & { jobs: Job[]; timezone: string; logger: Logger }): Scheduler {
  const tasks: ScheduledTask[] = [];
  const running = new Set<Promise<unknown>>();
  const abort = new AbortController();
  return {
    start() {
      for (const job of deps.jobs) {
        const task = cron.schedule(
          job.schedule,
          async (ctx) => {
            // Replicas' timers fire within the same second; that second names the tick.
            const tick = new Date(Math.floor(ctx.date.getTime() / 1000) * 1000);
            const p = runJob(deps, job, { scheduledFor: tick, signal: abort.signal });
            running.add(p);
            try {
              await p;
            } finally {
              running.delete(p);
            }
          },
          { name: `steward:${job.name}`, timezone: deps.timezone, noOverlap: true },
        );
        tasks.push(task);
      }
      deps.logger.info(
        { jobs: deps.jobs.map((j) => `${j.name} "${j.schedule}"`), timezone: deps.timezone },
        'scheduler started',
      );
    },
    async stop(timeoutMs = 10_000) {
      for (const t of tasks) await t.stop();
      for (const t of tasks) await t.destroy();
      abort.abort();
      await Promise.race([Promise.allSettled([...running]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    },
  };
}
