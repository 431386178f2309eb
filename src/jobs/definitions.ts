import type { AuditWitness } from '../audit/witness.js';
import type { Policy } from '../config/policy.js';
import type { CorrelationService } from '../correlate/service.js';
import { ANOMALY_KINDS } from '../review/presentation.js';
import type { ReviewService } from '../review/service.js';
import type { SyncService } from '../sync/service.js';
import type { Job } from './types.js';

export interface JobServices {
  sync: SyncService;
  correlation: CorrelationService;
  review: ReviewService;
  witness: AuditWitness;
}

/**
 * The scheduled work, on the policy's cron expressions:
 * - sync: directory, activity feed and usage; then the anomaly pass (security alerts go
 *   out within the hour, owner reviews wait for the daily pass);
 * - correlate: every finding, reviews opened and sent;
 * - reminders: close what resolved itself, remind reviewers, escalate or time out;
 * - audit_witness: post the audit chain's head to the security channel (see audit/witness.ts).
 * The outbox worker is not here: it runs continuously on every replica.
 */
export function stewardJobs(s: JobServices, policy: Policy): Job[] {
  return [
    {
      name: 'sync',
      schedule: policy.schedule.sync,
      async run({ signal }) {
        const report = await s.sync.run({ signal });
        const anomalies = await anomalyPass(s);
        const failed = report.sources.filter((r) => r.status === 'failed');
        if (failed.length)
          throw new Error(
            `sync failed for ${failed.map((f) => `${f.source} (${f.error?.message ?? 'error'})`).join(', ')}`,
          );
        return { sources: report.sources.length, ...anomalies };
      },
    },
    {
      name: 'correlate',
      schedule: policy.schedule.correlate,
      async run() {
        const result = await s.correlation.correlate();
        const opened = await s.review.openReviews({
          findingIds: result.findings.map((f) => f.id).filter((id): id is string => id !== null),
        });
        const sent = await s.review.deliverPending();
        return {
          findings: result.findings.length,
          resolved: result.resolved.length,
          suppressed: result.suppressed.length,
          reviewsOpened: opened.created,
          delivered: sent.delivered + sent.rerouted,
          undelivered: sent.failed,
        };
      },
    },
    {
      name: 'reminders',
      schedule: policy.schedule.reminders,
      async run() {
        return { ...(await s.review.followUp()) };
      },
    },
    {
      name: 'audit_witness',
      schedule: policy.schedule.audit_witness,
      async run() {
        const head = await s.witness.postHead();
        return { witnessedSeq: head?.seq ?? 0 };
      },
    },
  ];
}

/** Correlates, then opens and sends reviews for anomalies only. */
export async function anomalyPass(s: JobServices): Promise<Record<string, number>> {
  const result = await s.correlation.correlate();
  const ids = result.findings.filter((f) => ANOMALY_KINDS.has(f.kind) && f.id !== null).map((f) => f.id!);
  const opened = await s.review.openReviews({ findingIds: ids });
  const sent = ids.length ? await s.review.deliverPending() : { delivered: 0, rerouted: 0, failed: 0 };
  return { anomalies: ids.length, alertsOpened: opened.created, alertsSent: sent.delivered + sent.rerouted };
}
