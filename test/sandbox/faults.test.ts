/**
 * `npm run sandbox -- --faults`: both simulated providers answer some requests with 429 and
 * 5xx, as on a bad day. Steward rides them out: the first sync and review still succeed with
 * the scenario's answer, and a decision still reaches the organisation.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/start.js';

describe('the sandbox with --faults', { timeout: 300_000 }, () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, people: 20, keys: 30, faults: true });
  }, 300_000);
  afterAll(async () => sandbox?.stop());

  it('meets 429s and 5xx from both providers and still ends the first review with the known answer', async () => {
    const anthropicFaults = sandbox.anthropic.calls.all.filter((c) => c.fault !== undefined);
    expect(anthropicFaults.map((c) => c.fault)).toEqual(expect.arrayContaining(['rate_limit', 'server_error']));
    const slackFaults = sandbox.slack.faults.active().filter((f) => f.fired > 0);
    expect(slackFaults.length).toBeGreaterThan(0);

    const jobs = await queryRows<{ job: string; status: string }>(
      sandbox.steward.database.db,
      sql`select job, status from job_runs where job in ('sync', 'correlate') order by started_at`,
    );
    expect(jobs).toEqual([
      { job: 'sync', status: 'succeeded' },
      { job: 'correlate', status: 'succeeded' },
    ]);
    const open = await queryRows<{ kind: string; subject_id: string }>(
      sandbox.steward.database.db,
      sql`select kind, subject_id from findings where status = 'open'`,
    );
    const expected = sandbox.scenario.expectedFindings.map((f) => `${f.kind} ${f.subjectId}`);
    for (const e of expected) expect(open.map((r) => `${r.kind} ${r.subject_id}`)).toContain(e);
    const undelivered = await queryRows<{ n: number }>(
      sandbox.steward.database.db,
      sql`select count(*)::int as n from review_items where slack_ts is null`,
    );
    expect(undelivered[0]!.n).toBe(0);
  });
});
