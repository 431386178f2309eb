import { hostname } from 'node:os';
import { and, eq, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/append.js';
import type { Database } from '../db/client.js';
import { jobRuns } from '../db/schema/index.js';
import { isStewardError } from '../domain/errors.js';
import type { Logger } from '../log.js';
import type { Job } from './types.js';
import type { Clock } from '../domain/clock.js';

export interface RunJobDeps {
  database: Database;
  logger: Logger;
  policyVersion: string;
  instance?: string;
  now: Clock;
  onFinished?: (job: string, outcome: JobOutcome['status'], seconds: number) => void;
}

export type JobOutcome =
  | { status: 'succeeded'; counts: Record<string, number>; seconds: number }
  | { status: 'failed'; error: string; seconds: number }
  | { status: 'skipped'; reason: 'running_elsewhere' | 'tick_taken' };

/**
 * Runs a job at most once at a time across every replica: a session advisory lock named
 * after the job decides who runs (the loser skips, it does not queue), and for a
 * scheduled run the (job, tick) row decides which replica took that tick, so a fast run
 * that released its lock is not repeated by a replica whose timer fired a moment later.
 * Each run leaves a job_runs row and an audit row with its counts and duration.
 */
export async function runJob(
  deps: RunJobDeps,
  job: Job,
  opts: { scheduledFor?: Date | null; signal?: AbortSignal } = {},
): Promise<JobOutcome> {
  const instance = deps.instance ?? `${hostname()}:${process.pid}`;
  const log = deps.logger.child({ job: job.name, instance });
  const lock = await deps.database.sessionLock(`job:${job.name}`, { wait: false });
  if (!lock) {
    log.info('job is running on another replica (or still running here); skipped');
    deps.onFinished?.(job.name, 'skipped', 0);
    return { status: 'skipped', reason: 'running_elsewhere' };
  }
  const db = deps.database.db;
  try {
    const startedAt = deps.now();
    const [row] = await db
      .insert(jobRuns)
      .values({ job: job.name, instance, status: 'running', startedAt, scheduledFor: opts.scheduledFor ?? null })
      .onConflictDoNothing({
        target: [jobRuns.job, jobRuns.scheduledFor],
        where: sql`${jobRuns.scheduledFor} is not null`,
      })
      .returning({ id: jobRuns.id });
    if (!row) {
      log.info({ tick: opts.scheduledFor }, 'another replica already ran this tick; skipped');
      deps.onFinished?.(job.name, 'skipped', 0);
      return { status: 'skipped', reason: 'tick_taken' };
    }
    const t0 = performance.now();
    log.info('job started');
    try {
      const counts = await job.run({
        logger: log,
        scheduledFor: opts.scheduledFor ?? null,
        signal: opts.signal ?? new AbortController().signal,
      });
      const seconds = (performance.now() - t0) / 1000;
      await db.transaction(async (tx) => {
        await tx
          .update(jobRuns)
          .set({ status: 'succeeded', finishedAt: deps.now(), counts })
          .where(and(eq(jobRuns.id, row.id)));
        await appendAudit(tx, {
          actor: { type: 'system', job: job.name },
          action: 'job.completed',
          outcome: 'succeeded',
          details: {
            counts,
            seconds: Math.round(seconds * 1000) / 1000,
            instance,
            scheduledFor: opts.scheduledFor?.toISOString() ?? null,
          },
          policyVersion: deps.policyVersion,
          at: deps.now(),
        });
      });
      log.info({ counts, seconds }, 'job finished');
      deps.onFinished?.(job.name, 'succeeded', seconds);
      return { status: 'succeeded', counts, seconds };
    } catch (err) {
      const seconds = (performance.now() - t0) / 1000;
      const error = err instanceof Error ? err.message : String(err);
      await db.transaction(async (tx) => {
        await tx.update(jobRuns).set({ status: 'failed', finishedAt: deps.now(), error }).where(eq(jobRuns.id, row.id));
        await appendAudit(tx, {
          actor: { type: 'system', job: job.name },
          action: 'job.failed',
          outcome: 'failed',
          details: { error, code: isStewardError(err) ? err.code : null, seconds, instance },
          policyVersion: deps.policyVersion,
          at: deps.now(),
        });
      });
      log.error({ err, seconds }, 'job failed');
      deps.onFinished?.(job.name, 'failed', seconds);
      return { status: 'failed', error, seconds };
    }
  } finally {
    await lock.release();
  }
}
