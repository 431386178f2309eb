import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { seedOrganization } from '../../src/sim/anthropic/index.js';
import { seedFeed } from './feed-fixtures.js';
import { NOW, rows, startRig, type SyncRig } from './helpers.js';

let rig: SyncRig;
afterEach(async () => rig?.close());

describe('sync service', { timeout: 180_000 }, () => {
  it('runs every source in order, with a job run and an audit row each, and last_complete_at on success', async () => {
    rig = await startRig();
    seedOrganization(rig.sim.state, NOW.getTime(), { usageDays: 20 });
    seedFeed(rig.sim, { synthetic: 100 });
    const report = await rig.service().run();
    expect(report.ok).toBe(true);
    expect(report.sources.map((s) => [s.source, s.status])).toEqual([
      ['directory', 'succeeded'],
      ['activities', 'succeeded'],
      ['key_usage', 'succeeded'],
      ['seat_usage', 'not_available'],
      ['claude_code', 'succeeded'],
    ]);
    const jobs = await rows<{ job: string; status: string; counts: Record<string, number>; finished_at: unknown }>(
      rig.db.db,
      sql`select job, status, counts, finished_at from job_runs order by id`,
    );
    expect(jobs.map((j) => [j.job, j.status])).toEqual([
      ['sync.directory', 'succeeded'],
      ['sync.activities', 'succeeded'],
      ['sync.key_usage', 'succeeded'],
      ['sync.seat_usage', 'not_available'],
      ['sync.claude_code', 'succeeded'],
    ]);
    expect(jobs[1]?.counts).toMatchObject({ inserted: 111 });
    expect(jobs.every((j) => j.finished_at !== null)).toBe(true);

    const audit = await rows<Record<string, unknown>>(
      rig.db.db,
      sql`select action, outcome, subject_type, subject_id, actor_type, actor_label, details, policy_version from audit_log order by seq`,
    );
    expect(audit.map((a) => [a.action, a.subject_id, a.outcome])).toEqual([
      ['sync.completed', 'directory', 'succeeded'],
      ['sync.completed', 'activities', 'succeeded'],
      ['sync.completed', 'key_usage', 'succeeded'],
      ['sync.completed', 'seat_usage', 'not_available'],
      ['sync.completed', 'claude_code', 'succeeded'],
    ]);
    expect(audit[1]).toMatchObject({
      subject_type: 'sync_source',
      actor_type: 'system',
      actor_label: 'sync',
      details: { counts: { inserted: 111 } },
    });
    expect(audit[0]?.policy_version).toBeTruthy();

    const cps = await rows<{ source: string; last_complete_at: unknown }>(
      rig.db.db,
      sql`select source, last_complete_at from sync_checkpoints order by source`,
    );
    expect(
      cps.map((c) => [
        c.source,
        c.last_complete_at === null ? null : new Date(c.last_complete_at as string).toISOString(),
      ]),
    ).toEqual([
      ['activities', NOW.toISOString()],
      ['claude_code', NOW.toISOString()],
      // What compliance_settings said, kept beside the checkpoints (not a source).
      ['compliance_settings', null],
      ['directory', NOW.toISOString()],
      ['key_usage', NOW.toISOString()],
    ]);
  });

  it('reports a failing source and still runs the others', async () => {
    rig = await startRig({ orgType: 'enterprise' });
    seedOrganization(rig.sim.state, NOW.getTime(), { usageDays: 5 });
    seedFeed(rig.sim);
    rig.sim.faults.add({ op: 'compliance.activities', kind: 'server_error', times: Infinity });
    const report = await rig.service({ feed: { maxRetries: 1 } }).run();
    expect(report.ok).toBe(false);
    expect(report.sources.map((s) => [s.source, s.status])).toEqual([
      ['directory', 'succeeded'],
      ['activities', 'failed'],
      ['key_usage', 'succeeded'],
      ['seat_usage', 'succeeded'],
      ['claude_code', 'succeeded'],
    ]);
    expect(report.sources[1]?.error).toMatchObject({ code: 'anthropic_unavailable', retry: true });
    const failed = await rows<Record<string, unknown>>(
      rig.db.db,
      sql`select action, outcome, details from audit_log where subject_id = 'activities'`,
    );
    expect(failed).toEqual([
      expect.objectContaining({
        action: 'sync.failed',
        outcome: 'failed',
        details: expect.objectContaining({ error: expect.objectContaining({ code: 'anthropic_unavailable' }) }),
      }),
    ]);
    const job = await rows<{ status: string; error: string }>(
      rig.db.db,
      sql`select status, error from job_runs where job = 'sync.activities'`,
    );
    expect(job[0]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(
        /^anthropic_unavailable: Anthropic API: reading the activity feed failed with HTTP 500/,
      ),
    });
    const cp = await rows(
      rig.db.db,
      sql`select 1 from sync_checkpoints where source = 'activities' and last_complete_at is not null`,
    );
    expect(cp).toEqual([]);
  });

  it('runs only the sources asked for, and never logs a key', async () => {
    rig = await startRig();
    seedFeed(rig.sim);
    const report = await rig.service().run({ sources: ['activities'] });
    expect(report.sources.map((s) => s.source)).toEqual(['activities']);
    const log = rig.logLines.join('');
    expect(log).toContain('sync activities succeeded');
    expect(log).not.toContain(rig.sim.config.adminKey);
    expect(log).not.toContain(rig.sim.config.complianceKey);
  });

  it('refuses to move a checkpoint another run moved meanwhile', async () => {
    rig = await startRig();
    seedFeed(rig.sim, { synthetic: 300, days: 2 });
    let moved = false;
    const report = await rig.service({ activityPageSize: 50, activityBatchSize: 50 }).run({
      sources: ['activities'],
      async onProgress() {
        if (moved) return;
        moved = true;
        // Another replica's run commits in between.
        await rig.db.db.execute(
          sql`update sync_checkpoints set cursor = jsonb_set(cursor, '{pass,after_id}', '"someone-else"') where source = 'activities'`,
        );
      },
    });
    expect(report.sources[0]).toMatchObject({ status: 'failed', error: { code: 'sync_conflict', retry: true } });
  });
});
