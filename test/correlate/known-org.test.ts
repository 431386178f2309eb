import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { parsePolicy } from '../../src/config/policy.js';
import { queryRows } from '../../src/db/client.js';
import { createLogger } from '../../src/log.js';
import { createCorrelationService, type CorrelationResult } from '../../src/correlate/service.js';
import { loadScenario } from '../support/load-scenario.js';
import { directoryListedAt, knownOrgScenario } from '../../src/sim/scenarios/known-org.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { byText } from '../helpers/order.js';

const scenario = knownOrgScenario();
const key = (f: { kind: string; subjectType?: string; subject?: { type: string; id: string }; subjectId?: string }) =>
  `${f.kind} ${f.subject?.type ?? f.subjectType} ${f.subject?.id ?? f.subjectId}`;

describe('correlation of the known organisation', () => {
  let t: TestDatabase;
  let first: CorrelationResult;
  const service = () =>
    createCorrelationService({
      db: t.db,
      logger: createLogger({ level: 'silent' }),
      policy: parsePolicy(JSON.stringify(scenario.policy), 'known-org policy'),
      now: () => scenario.now,
    });

  beforeAll(async () => {
    t = await createTestDatabase();
    await loadScenario(t.db, { ...scenario, listedAt: new Date(directoryListedAt(scenario)) });
    first = await service().correlate();
  });
  afterAll(async () => t?.destroy());

  it('finds exactly the expected findings: none missed, none false', () => {
    expect(first.findings.map(key).sort(byText)).toEqual(scenario.expectedFindings.map(key).sort(byText));
  });

  it('names the accountable owner, or why there is none, for each finding', () => {
    for (const e of scenario.expectedFindings) {
      const f = first.findings.find((x) => key(x) === key(e))!;
      expect({
        finding: key(e),
        via: f.owner.via,
        user: f.owner.userId,
        reason: f.owner.unownedReason ?? undefined,
      }).toEqual({
        finding: key(e),
        via: e.via,
        user: e.ownerUserId ?? null,
        reason: e.unownedReason,
      });
    }
  });

  it('resolves the prior dormant finding of the user who came back, with the reason', () => {
    expect(
      first.resolved.map((r) => ({
        kind: r.kind,
        subjectType: r.subject.type,
        subjectId: r.subject.id,
        reason: r.reason,
      })),
    ).toEqual(scenario.expectedResolutions);
  });

  it('carries the evidence: thresholds, last activity, counts, usage, sparkline, creator', () => {
    const spike = first.findings.find((f) => f.kind === 'usage_spike')!;
    expect(spike.evidence.thresholds).toEqual({ factor: 5, baseline_days: 14, min_requests: 1000 });
    expect(spike.evidence.anomaly).toMatchObject({ peakRequests: 5000, baselineMean: 200, days: 1 });
    expect(spike.evidence.usage).toMatchObject({ requests30: 5000 + 300 + 200 * 28 });
    expect(spike.evidence.weekly).toHaveLength(12);
    expect(spike.evidence.weekly.at(-1)).toBe(5000 + 300 + 200 * 5);
    expect(spike.evidence.access).toMatchObject({
      kind: 'api_key',
      keyHint: 'sk-ant-api03-…PIKY',
      workspaceName: 'Web',
      scope: 'workspace',
    });
    expect(spike.evidence.createdBy).toEqual({ type: 'user', id: 'user_01BOB', label: 'bob@acme.test' });

    const carol = first.findings.find((f) => f.kind === 'dormant_seat' && f.subject.id === 'user_01CAROL')!;
    expect(carol.evidence.idleDays).toBe(45);
    expect(carol.evidence.lastActivity).toEqual({ at: '2026-05-01T10:00:00.000Z', type: 'claude_chat_created' });
    expect(carol.evidence.counts).toEqual({ d7: 0, d30: 0, d90: 2 });
    expect(carol.evidence.thresholds).toEqual({ dormant_seat_days: 30 });
    expect(carol.evidence.rule).toMatch(/No activity for 45 days \(policy: dormant after 30 days\)/);

    const never = first.findings.find((f) => f.kind === 'dormant_key' && f.subject.id === 'apikey_01NEVERUSED')!;
    expect(never.evidence.lastActivity).toBeNull();
    expect(never.evidence.rule).toMatch(/Never used since it was created 45 days ago/);

    const frank = first.findings.find((f) => f.kind === 'stale_admin' && f.subject.id === 'user_01FRANK')!;
    expect(frank.evidence.lastAdminActivity).toEqual({ at: '2026-03-17T00:00:00.000Z', type: 'admin' });
    expect(frank.evidence.access).toMatchObject({ kind: 'org_admin', role: 'admin' });

    const grace = first.findings.find((f) => f.kind === 'privilege_grant' && f.subject.id === 'user_01GRACE')!;
    expect(grace.evidence.anomaly).toMatchObject({
      role: 'admin',
      previousRole: 'user',
      activityType: 'claude_user_role_updated',
    });
    expect(grace.evidence.rule).toMatch(/grace@acme.test became admin \(was user\).*by alice@acme.test/);
  });

  it('stores the findings and audits the run in one row with its counts', async () => {
    const rows = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from findings where status = 'open'`,
    );
    expect(rows[0]!.n).toBe(scenario.expectedFindings.length);
    const audit = await queryRows<{ action: string; details: { counts: Record<string, number> } }>(
      t.db,
      sql`select action, details from audit_log where action = 'correlate.completed'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details.counts).toMatchObject({ findings: 20, opened: 20, resolved: 1, suppressed: 0 });
  });

  it('is idempotent: a second run refreshes the same findings and opens none', async () => {
    const again = await service().correlate();
    expect(again.opened).toEqual([]);
    expect(again.resolved).toEqual([]);
    // The resumption was an event of the first run (its dormant finding is resolved now):
    // it is not detected again, and stays open until someone handles it.
    const stillDetected = first.findings.filter((f) => f.kind !== 'dormant_resumed');
    expect(again.refreshed.sort(byText)).toEqual(stillDetected.map((f) => f.fingerprint).sort(byText));
    expect(again.findings.map((f) => f.id).sort(byText)).toEqual(stillDetected.map((f) => f.id).sort(byText));
    const open = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from findings where status = 'open'`,
    );
    expect(open[0]!.n).toBe(scenario.expectedFindings.length);
  });
});
