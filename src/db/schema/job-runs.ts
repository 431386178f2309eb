import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/** One row per run of a job or sync source: what ran, where, for how long, with what counts. */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    job: text('job').notNull(),
    instance: text('instance'),
    status: text('status').notNull(),
    startedAt: tstz('started_at').notNull().defaultNow(),
    finishedAt: tstz('finished_at'),
    counts: jsonb('counts').$type<Record<string, number>>(),
    error: text('error'),
    /** The cron tick a scheduled run belongs to: one run per job per tick, whichever replica wins. */
    scheduledFor: tstz('scheduled_for'),
  },
  (t) => [
    index('job_runs_job_started_idx').on(t.job, t.startedAt),
    uniqueIndex('job_runs_job_tick_uq')
      .on(t.job, t.scheduledFor)
      .where(sql`${t.scheduledFor} is not null`),
  ],
);
