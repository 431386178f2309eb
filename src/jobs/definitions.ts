import type { AuditWitness } from '../audit/witness.js';
import type { Policy } from '../config/policy.js';
import type { CorrelationService } from '../correlate/service.js';
import { StewardError } from '../domain/errors.js';
import { ANOMALY_KINDS } from '../domain/findings.js';
import { runReviewCycle } from '../review/cycle.js';
import type { ReviewService } from '../review/service.js';
import type { CampaignService } from '../review/campaigns/service.js';
import type { LifecycleService } from '../review/lifecycle.js';
import { campaignJobs } from './campaigns.js';
import type { SyncService } from '../sync/service.js';
import type { Job } from './types.js';

export interface JobServices {
  sync: SyncService;
  correlation: CorrelationService;
  review: ReviewService;
  witness: AuditWitness;
  campaigns?: Pick<CampaignService, 'start'>;
  /** Leavers and attestation at creation (issue 20), around the hourly alert pass. */
  lifecycle?: LifecycleService;
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
        const departures = (await s.lifecycle?.beforeAlerts()) ?? {};
        const anomalies = await anomalyPass(s);
        const lifecycle = (await s.lifecycle?.afterAlerts()) ?? {};
        const failed = report.sources.filter((r) => r.status === 'failed');
        // The job fails (and says so); the next tick runs every source again.
        if (failed.length)
          throw new StewardError(
            'sync_failed',
            `sync failed for ${failed.map((f) => `${f.source} (${f.error?.message ?? 'error'})`).join(', ')}`,
            { retry: true },
          );
        return { sources: report.sources.length, ...departures, ...anomalies, ...lifecycle };
      },
    },
    {
      name: 'correlate',
      schedule: policy.schedule.correlate,
      async run() {
        const cycle = await runReviewCycle(s);
        return {
          findings: cycle.findings,
          resolved: cycle.resolved,
          suppressed: cycle.suppressed,
          reviewsOpened: cycle.opened.created,
          delivered: cycle.sent.delivered + cycle.sent.rerouted,
          undelivered: cycle.sent.failed,
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
    ...(s.campaigns ? campaignJobs(s.campaigns, policy) : []),
  ];
}

/** The review cycle for anomalies only: security alerts go out within the hour. */
async function anomalyPass(s: JobServices): Promise<Record<string, number>> {
  const cycle = await runReviewCycle(s, { only: ANOMALY_KINDS });
  return {
    anomalies: cycle.findings,
    alertsOpened: cycle.opened.created,
    alertsSent: cycle.sent.delivered + cycle.sent.rerouted,
  };
}
