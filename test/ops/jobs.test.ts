import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, jobRuns } from '../../src/db/schema/index.js';
import { systemClock } from '../../src/domain/clock.js';
import { createLogger } from '../../src/log.js';
import { runJob } from '../../src/jobs/run-job.js';
import { createScheduler } from '../../src/jobs/scheduler.js';
import type { Job } from '../../src/jobs/types.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { eventually } from '../helpers/eventually.js';

const logger = createLogger({ level: 'silent' });

describe('jobs: one run at a time, one run per tick', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.destroy());

  it('skips a run while another holds the job, records counts and audits', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    const job: Job = {
      name: 'reminders',
      schedule: '0 10 * * *',
      run: async () => (runs++, await gate, { reminded: 3 }),
    };
    const deps = { database: t, logger, policyVersion: 'test', now: systemClock };
    const first = runJob(deps, job);
    await eventually(async () => (await t.db.select().from(jobRuns).where(eq(jobRuns.job, 'reminders'))).length === 1);
    const second = await runJob(deps, job);
    expect(second).toEqual({ status: 'skipped', reason: 'running_elsewhere' });
    release();
    const done = await first;
    expect(done).toMatchObject({ status: 'succeeded', counts: { reminded: 3 } });
    expect(runs).toBe(1);
    const [row] = await t.db.select().from(jobRuns).where(eq(jobRuns.job, 'reminders'));
    expect(row).toMatchObject({ status: 'succeeded', counts: { reminded: 3 } });
    expect(row!.finishedAt).not.toBeNull();
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, 'job.completed'));
    expect(audit[0]).toMatchObject({ actorType: 'system', actorLabel: 'reminders', outcome: 'succeeded' });
  });

  it('runs a tick once even when a second runner asks for it after the first finished', async () => {
    let runs = 0;
    const job: Job = { name: 'correlate', schedule: '* * * * *', run: async () => ({ n: ++runs }) };
    const tick = new Date('2026-11-22T08:30:00Z');
    const deps = { database: t, logger, policyVersion: 'test', now: systemClock };
    expect((await runJob(deps, job, { scheduledFor: tick })).status).toBe('succeeded');
    expect(await runJob(deps, job, { scheduledFor: tick })).toEqual({ status: 'skipped', reason: 'tick_taken' });
    expect((await runJob(deps, job, { scheduledFor: new Date(tick.getTime() + 60_000) })).status).toBe('succeeded');
    expect(runs).toBe(2);
  });

  it('records a failing run as failed, with the error, and audits it', async () => {
    const job: Job = {
      name: 'sync',
      schedule: '0 * * * *',
      run: async () => {
        throw new Error('feed unreachable');
      },
    };
    const r = await runJob({ database: t, logger, policyVersion: 'test', now: systemClock }, job);
    expect(r).toMatchObject({ status: 'failed', error: 'feed unreachable' });
    const [row] = await t.db.select().from(jobRuns).where(eq(jobRuns.job, 'sync'));
    expect(row).toMatchObject({ status: 'failed', error: 'feed unreachable' });
    expect((await t.db.select().from(auditLog).where(eq(auditLog.action, 'job.failed'))).length).toBe(1);
  });

  it('two schedulers on one database (two replicas) run each tick once', async () => {
    const ran: string[] = [];
    const replica = { database: t, logger, policyVersion: 'test', timezone: 'UTC', now: systemClock };
    const make = (who: string): Job => ({
      name: 'correlate',
      schedule: '* * * * * *',
      run: async () => (ran.push(who), {}),
    });
    const a = createScheduler({ ...replica, jobs: [make('a')] });
    const b = createScheduler({ ...replica, jobs: [make('b')] });
    const before = (await t.db.select().from(jobRuns).where(eq(jobRuns.job, 'correlate'))).length;
    a.start();
    b.start();
    // Both replicas' timers fire every second; wait until each has seen two ticks come.
    await eventually(
      async () => (await t.db.select().from(jobRuns).where(eq(jobRuns.job, 'correlate'))).length - before >= 2,
    );
    await Promise.all([a.stop(), b.stop()]);
    const rows = (await t.db.select().from(jobRuns).where(eq(jobRuns.job, 'correlate'))).slice(before);
    const ticks = rows.map((r) => r.scheduledFor!.toISOString());
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(ran.length).toBe(rows.filter((r) => r.status === 'succeeded').length);
  });
});
