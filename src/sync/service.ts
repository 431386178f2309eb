import { hostname } from 'node:os';
import { eq } from 'drizzle-orm';
import type { AdminApi } from '../anthropic/admin-api.js';
import type { ComplianceFeedClient } from '../anthropic/compliance/client.js';
import { appendAudit } from '../audit/append.js';
import type { LoadedPolicy } from '../config/policy.js';
import { jobRuns } from '../db/schema/index.js';
import type { Db } from '../db/types.js';
import { syncFailure } from './failure.js';
import type { Logger } from '../log.js';
import { activityIngesters, feedTargets } from './activities/feeds.js';
import { markComplete, type CheckpointName } from './checkpoints.js';
import { acceptRemovals, type AcceptedHold, type Acceptor } from './directory/accept.js';
import type { DirectoryAlerts } from './directory/alerts.js';
import { createDirectoryIngester } from './directory/ingester.js';
import { syncSettings } from './settings.js';
import {
  SOURCES,
  type Ingester,
  type IngestResult,
  type ProgressListener,
  type SourceName,
  type SourceStatus,
} from './types.js';
import { createKeyUsageIngester } from './usage/key-usage.js';
import { createSeatUsageIngester } from './usage/seat-usage.js';
import { createClaudeCodeIngester } from './usage/claude-code.js';
import type { Clock } from '../domain/clock.js';
import type { OrgKeyCheck } from '../db/organization-keys.js';
import { checkOrganizations, syncTargets, type OrgKey, type SyncTarget } from './organizations.js';

export interface SyncServiceDeps {
  db: Db;
  logger: Logger;
  policy: LoadedPolicy;
  admin: AdminApi;
  feed: ComplianceFeedClient;
  now: Clock;
  /** Recorded on job_runs rows; defaults to host:pid. */
  instance?: string;
  activityPageSize?: number;
  activityBatchSize?: number;
  directoryBatchSize?: number;
  /** Where the directory sync tells people about held removals and malformed records (the security channel). */
  directoryAlerts?: DirectoryAlerts;
  /**
   * Every configured Admin API key (issue 17): each run first asks each which organisation it
   * belongs to and finds the keys that cannot read. Without it no check is made.
   */
  organizationKeys?: readonly OrgKey[];
}

export interface SyncRunOptions {
  /** Default: all of them, in order (directory, activities, key usage, seat usage, Claude Code). */
  sources?: readonly SourceName[];
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface SourceReport {
  source: SourceName;
  /** The organisation it read, when Steward governs several (issue 17). */
  org?: { id: string; name: string };
  status: SourceStatus;
  counts: Record<string, number>;
  notes: string[];
  error?: { code: string; message: string; retry: boolean };
  startedAt: string;
  finishedAt: string;
  jobRunId: number;
}

export interface SyncReport {
  /** False when any source failed ("not available" is not a failure), or an Admin key cannot read. */
  ok: boolean;
  sources: SourceReport[];
  /** Each Admin key's organisation and whether it can read (when the service was given the keys). */
  organizations?: OrgKeyCheck[];
}

export interface SyncService {
  run(opts?: SyncRunOptions): Promise<SyncReport>;
  /** Asks each Admin key for its organisation (see organizations.ts); empty without keys. */
  checkOrganizations(): Promise<OrgKeyCheck[]>;
  /** Applies the removals the mass-change brake holds (see directory/accept.ts); empty when none are held. */
  acceptRemovals(by: Acceptor): Promise<AcceptedHold[]>;
}

/**
 * Runs the sync sources in order. Each gets a `job_runs` row and one audit row
 * (`sync.completed` / `sync.failed`), written in one transaction with the source's
 * `last_complete_at` when it succeeded. A failing source is reported and the next one
 * still runs.
 */
export function createSyncService(deps: SyncServiceDeps): SyncService {
  const now = deps.now;
  const settings = syncSettings(deps.policy.policy);
  const instance = deps.instance ?? `${hostname()}:${process.pid}`;
  const base = { db: deps.db, logger: deps.logger, now };
  /** The sources one organisation's Admin key reads (issue 17); `''` when organisations are not checked. */
  const perOrg = (t: SyncTarget): Record<Exclude<SourceName, 'activities'>, Ingester> => {
    const org = {
      ...base,
      admin: t.admin,
      settings,
      orgId: t.orgId,
      ...(t.suffix ? { checkpointSuffix: t.suffix } : {}),
    };
    return {
      directory: createDirectoryIngester({
        ...base,
        admin: t.admin,
        orgId: t.orgId,
        ...(t.suffix ? { checkpoint: `directory@${t.suffix}` as const } : {}),
        ...(deps.directoryBatchSize ? { batchSize: deps.directoryBatchSize } : {}),
        brake: {
          percent: deps.policy.policy.sync.removal_brake.percent,
          atLeast: deps.policy.policy.sync.removal_brake.at_least,
        },
        policyVersion: deps.policy.version,
        ...(deps.directoryAlerts ? { alerts: deps.directoryAlerts } : {}),
      }),
      key_usage: createKeyUsageIngester(org),
      seat_usage: createSeatUsageIngester(org),
      claude_code: createClaudeCodeIngester(org),
    };
  };
  // One feed for the parent, or one per organisation's key (see activities/feeds.ts).
  const feedsOf = (targets: readonly SyncTarget[]) =>
    activityIngesters(
      { ...base, settings, pageSize: deps.activityPageSize, batchSize: deps.activityBatchSize },
      feedTargets(targets, deps.organizationKeys ?? [], { feed: deps.feed, admin: deps.admin }),
    );

  async function runOne(
    source: SourceName,
    ingester: Ingester,
    opts: SyncRunOptions,
    org?: SyncTarget,
    checkpoint: CheckpointName = source,
  ): Promise<SourceReport> {
    const startedAt = now();
    const [job] = await deps.db
      .insert(jobRuns)
      .values({ job: `sync.${source}`, instance, status: 'running', startedAt })
      .returning({ id: jobRuns.id });
    const jobRunId = job!.id;
    let result: IngestResult;
    try {
      result = await ingester.run({
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (err) {
      const error = syncFailure(err, source);
      result = { status: 'failed', counts: {}, notes: [], error };
    }
    const finishedAt = now();
    const report: SourceReport = {
      source,
      status: result.status,
      counts: result.counts,
      notes: result.notes,
      ...(result.error
        ? { error: { code: result.error.code, message: result.error.message, retry: result.error.retry } }
        : {}),
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      jobRunId,
      ...(org?.name ? { org: { id: org.orgId, name: org.name } } : {}),
    };
    const log = deps.logger.child({ source, jobRunId, ...(org?.name ? { org: org.orgId } : {}) });
    if (result.status === 'failed')
      log.error({ code: result.error?.code, counts: result.counts }, `sync ${source} failed: ${result.error?.message}`);
    else log.info({ counts: result.counts, status: result.status }, `sync ${source} ${result.status}`);

    await deps.db.transaction(async (tx) => {
      await tx
        .update(jobRuns)
        .set({
          status: result.status,
          finishedAt,
          counts: result.counts,
          error: result.error ? `${result.error.code}: ${result.error.message}` : null,
        })
        .where(eq(jobRuns.id, jobRunId));
      if (result.status === 'succeeded') await markComplete(tx, checkpoint, finishedAt);
      await appendAudit(tx, {
        actor: { type: 'system', job: 'sync' },
        action: result.status === 'failed' ? 'sync.failed' : 'sync.completed',
        subject: { type: 'sync_source', id: source },
        outcome: result.status,
        ...(org?.orgId ? { orgId: org.orgId } : {}),
        details: {
          jobRunId,
          counts: result.counts,
          ...(result.notes.length ? { notes: result.notes } : {}),
          ...(report.error ? { error: report.error } : {}),
          startedAt: report.startedAt,
          finishedAt: report.finishedAt,
        },
        policyVersion: deps.policy.version,
        at: finishedAt,
      });
    });
    return report;
  }

  const checkOrgs = () =>
    deps.organizationKeys
      ? checkOrganizations({
          db: deps.db,
          keys: deps.organizationKeys,
          logger: deps.logger,
          now,
          ...(deps.directoryAlerts?.organizationKeys
            ? { alert: (c: OrgKeyCheck[]) => deps.directoryAlerts!.organizationKeys!(c) }
            : {}),
        })
      : Promise.resolve([]);

  return {
    async run(opts: SyncRunOptions = {}): Promise<SyncReport> {
      const wanted = opts.sources ?? SOURCES;
      const checks = deps.organizationKeys ? await checkOrgs() : undefined;
      const targets = checks ? syncTargets(checks, deps.organizationKeys!) : [{ orgId: '', admin: deps.admin }];
      // With several organisations each report names its organisation; with one, reports read as always.
      const named = targets.length > 1;
      const ingesters = targets.map((t) => ({ t, sources: perOrg(t) }));
      const reports: SourceReport[] = [];
      for (const source of SOURCES) {
        if (!wanted.includes(source)) continue;
        if (opts.signal?.aborted) break;
        if (source === 'activities') {
          // Each feed's completion is kept under its own checkpoint, never another organisation's.
          for (const { ingester, org, checkpoint } of feedsOf(targets)) {
            if (opts.signal?.aborted) break;
            reports.push(await runOne(source, ingester, opts, named && org ? org : undefined, checkpoint));
          }
          continue;
        }
        for (const { t, sources } of ingesters) {
          if (opts.signal?.aborted) break;
          reports.push(await runOne(source, sources[source], opts, named ? t : { ...t, name: undefined }));
        }
      }
      const ok = reports.every((r) => r.status !== 'failed') && (checks ?? []).every((c) => c.state === 'ok');
      return { ok, sources: reports, ...(checks ? { organizations: checks } : {}) };
    },
    checkOrganizations: checkOrgs,
    acceptRemovals: (by) => acceptRemovals(deps.db, { by, now: now(), policyVersion: deps.policy.version }),
  };
}
