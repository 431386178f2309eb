import { createOutboxWorker } from './actions/worker.js';
import { createAssist } from './assist/index.js';
import { createComplianceFeedClient } from './anthropic/compliance/client.js';
import { createSdkAdminApi } from './anthropic/sdk-admin-api.js';
import type { Config, LoadedPolicy } from './config/index.js';
import { createCorrelationService } from './correlate/service.js';
import { cachedSlackLookup, webClientLookup } from './correlate/slack-identity.js';
import type { Database } from './db/client.js';
import type { Clock } from './domain/clock.js';
import { stewardJobs } from './jobs/definitions.js';
import { auditKeyWarning } from './audit/key-check.js';
import { auditKeyring, installAuditKeyring, installedAuditKeyring } from './audit/mac.js';
import { createAuditWitness } from './audit/witness.js';
import { slackWitnessBoard } from './slack/witness-board.js';
import type { Logger } from './log.js';
import { anthropicMethod, createMetrics, slackMethod } from './metrics/registry.js';
import { createReviewService } from './review/service.js';
import { createCampaignService } from './review/campaigns/service.js';
import { campaignSummaries } from './review/campaigns/status.js';
import { createAccessInventory } from './correlate/inventory.js';
import { loadSnapshot } from './review/snapshot.js';
import { boltLogger } from './slack/bolt-logger.js';
import { PacedWebClient } from './slack/client/paced-client.js';
import { coalescer } from './slack/client/coalesce.js';
import { slackPaceTable } from './slack/client/pacing.js';
import { slackDirectory } from './slack/directory.js';
import { bulkSlackLookup } from './slack/directory-bulk.js';
import { homePublisher } from './slack/listeners/home.js';
import { slackNotifier } from './slack/notifier.js';
import { storedDmChannels } from './slack/notifier-dms.js';
import { dmSender } from './slack/dm-sender.js';
import { slackDirectoryAlerts } from './slack/sync-alerts.js';
import { createSyncService } from './sync/service.js';
import { organizationFeedClients, readsFeedPerOrganisation } from './sync/activities/feeds.js';
import { adminOf, keyFingerprint, keyRefs, type OrgKey } from './sync/organizations.js';
import { createAttestService } from './review/attest/service.js';
import { createLifecycleService } from './review/lifecycle.js';
import { createKeepEndingService } from './review/keep-renew.js';
import { slackKeepEndingNotifier } from './slack/keep-ending-notifier.js';
import { slackAccounts } from './slack/accounts.js';
import { slackAttestNotifier, slackPersonNotifier } from './slack/attest-notifier.js';
import { withSubjectNotice } from './review/subject-notice.js';

/**
 * Every process that appends or verifies audit rows installs the MAC keys once, before it
 * opens the database (see audit/mac.ts).
 */
export function installAuditKeys(config: Pick<Config, 'auditKeys'>): void {
  installAuditKeyring(auditKeyring(config.auditKeys));
}

/** Says at start whether audit rows are keyed, and warns when the log is keyed but the key is missing. */
export async function reportAuditKeys(database: Database, logger: Logger): Promise<void> {
  const keyring = installedAuditKeyring();
  const warning = await auditKeyWarning(database.db, keyring);
  if (warning) logger.warn(warning);
  else
    logger.info(
      { auditKey: keyring.signing?.id ?? null },
      keyring.signing ? 'audit rows are keyed' : 'audit rows are chained but not keyed (STEWARD_AUDIT_KEY is not set)',
    );
}

export const SLACK_RETRY = { retries: 8, factor: 2, minTimeout: 250, maxTimeout: 5_000, randomize: true };

export interface WireOptions {
  config: Config;
  logger: Logger;
  database: Database;
  policy: LoadedPolicy;
  /** The one clock every service reads, chosen by the composition root. */
  now: Clock;
}

/**
 * Steward's services over real adapters (Slack WebClient, Anthropic SDK, the database),
 * every outgoing call counted by the metrics. Both composition roots use it: the
 * service (`steward.ts`) and the command line (`cli/run.ts`). Building a service calls
 * nobody, so a command that needs no Slack token still gets the same wiring; without a
 * token, correlation leaves owners' Slack ids to review assignment.
 */
export function wireServices({ config, logger, database, policy, now }: WireOptions) {
  const db = database.db;
  const metrics = createMetrics({ db, now });
  // Every call waits for its method's budget (Slack's published tiers) instead of meeting 429s.
  const client = new PacedWebClient(config.slack.botToken, {
    pace: slackPaceTable(),
    fetch: metrics.instrumentedFetch('slack', slackMethod),
    ...(config.slack.apiUrl
      ? { slackApiUrl: config.slack.apiUrl.endsWith('/') ? config.slack.apiUrl : `${config.slack.apiUrl}/` }
      : {}),
    logger: boltLogger(logger, { component: 'slack-web-api', quietDebug: true }),
    // Rate limits wait out Retry-After; outages back off for ~25 s in all, then the
    // caller decides (a review stays pending for the next run).
    retryConfig: SLACK_RETRY,
  });
  // One Admin API client per organisation's key (issue 17): each paces and retries on its own.
  const admins = config.anthropic.adminKeys.map((apiKey) =>
    createSdkAdminApi({
      apiKey,
      baseUrl: config.anthropic.baseUrl,
      fetch: metrics.instrumentedFetch('anthropic', anthropicMethod),
    }),
  );
  const refs = keyRefs(config.anthropic.adminKeys, config.anthropic.adminKeys.length > 1);
  const organizationKeys: OrgKey[] = config.anthropic.adminKeys.map((k, i) => ({
    ref: refs[i]!,
    fingerprint: keyFingerprint(k),
    admin: admins[i]!,
  }));
  const admin =
    admins[0] ??
    createSdkAdminApi({
      apiKey: config.anthropic.adminKey,
      baseUrl: config.anthropic.baseUrl,
      fetch: metrics.instrumentedFetch('anthropic', anthropicMethod),
    });
  const feedOptions = {
    baseUrl: config.anthropic.baseUrl,
    logger,
    rateShare: policy.policy.sync.feed_rate_share,
    fetch: metrics.instrumentedFetch('anthropic', anthropicMethod),
  };
  // Without the parent's Compliance key, each organisation's feed through its own Admin key, one pacer for all.
  const orgFeeds = readsFeedPerOrganisation(config.anthropic.complianceScope, config.anthropic.adminKeys.length)
    ? organizationFeedClients(config.anthropic.adminKeys, feedOptions)
    : [];
  for (const [i, k] of organizationKeys.entries()) if (orgFeeds[i]) k.feed = orgFeeds[i];
  const feed = orgFeeds[0] ?? createComplianceFeedClient({ apiKey: config.anthropic.complianceKey, ...feedOptions });
  const sync = createSyncService({
    db,
    logger,
    policy,
    admin,
    feed,
    now,
    organizationKeys,
    // Held mass removals and malformed directory records are told to the security channel.
    ...(config.securityChannel && config.slack.botToken
      ? { directoryAlerts: slackDirectoryAlerts({ client, channel: config.securityChannel }) }
      : {}),
  });
  const ttlHours = policy.policy.review.slack_lookup_ttl_hours;
  const single = cachedSlackLookup({ db, lookup: webClientLookup(client), ttlHours, now });
  const lookup = bulkSlackLookup({ client, db, single, ttlHours, now, logger, onListed: (u) => slack.remember(u) });
  const slack = slackDirectory(client, lookup, now);
  const correlation = createCorrelationService({
    db,
    logger,
    policy,
    now,
    ...(config.slack.botToken ? { slack: lookup } : {}),
  });
  // Every DM (reviews, attestation requests, notices) through each person's stored DM channel.
  const dms = dmSender(client, storedDmChannels(db, now));
  const notifier = slackNotifier({
    client,
    securityChannel: config.securityChannel,
    logger,
    loadSnapshot: (id) => loadSnapshot(db, id, policy.policy),
    dms,
    now,
  });
  const outbox = createOutboxWorker({
    db,
    access: admin,
    // A revocation goes through the key of the organisation that holds the access (issue 17).
    accessFor: (orgId) => adminOf(db, organizationKeys, orgId),
    logger,
    // The subject is told when an action on their access finishes (issue 20).
    notifier: withSubjectNotice({
      db,
      logger,
      policy,
      now,
      inner: notifier,
      person: slackPersonNotifier(dms),
      admins: config.admins,
    }),
    sessionLock: (key, o) => database.sessionLock(key, o),
    dryRun: config.dryRun,
    notifyOnly: policy.policy.review.actions === 'notify',
    policyVersion: policy.version,
    now,
  });
  // Claude assist, or its template-only form when off: the one place that chooses.
  const assist = createAssist({
    config: config.assist,
    baseUrl: config.anthropic.baseUrl,
    db,
    logger,
    policy,
    now,
    // The figures `/steward campaign status` shows, read by `/steward ask` (issue 18 × 16).
    campaigns: { summaries: (at, ref) => campaignSummaries(db, at, ref) },
    fetch: metrics.instrumentedFetch('anthropic', anthropicMethod),
  });
  const review = createReviewService({
    db,
    logger,
    policy,
    admins: config.admins,
    notifier,
    slack,
    explainer: assist,
    onActionEnqueued: () => outbox.wake(),
    now,
  });
  // A burst of decisions by one person publishes their App Home at most twice (views.publish, Tier 4).
  const publishHome = homePublisher({ review, client, logger, now });
  const homes = coalescer();
  const refreshHome = (userId: string) => homes.run(userId, () => publishHome(userId));
  // The audit head's witness; `witness.postHead()` is also for callers that close something that matters.
  const witnessBoard = slackWitnessBoard({ client, channel: config.securityChannel });
  const witness = createAuditWitness({ db, board: witnessBoard });
  // Certification campaigns (issue 16): the review machinery over every access in scope; a close is witnessed.
  const campaigns = createCampaignService({
    db,
    logger,
    policy,
    admins: config.admins,
    notifier,
    slack,
    explainer: assist,
    onActionEnqueued: () => outbox.wake(),
    now,
    inventory: createAccessInventory({ db, policy }),
    witness,
  });
  // Lifecycle (issue 20): attestation at creation, leavers; run by the hourly sync job.
  const reviewDeps = { db, logger, policy, admins: config.admins, notifier, slack, explainer: assist, now };
  const attest = createAttestService({
    ...reviewDeps,
    notifier: slackAttestNotifier({ client, securityChannel: config.securityChannel, dms }),
  });
  const keepEnding = createKeepEndingService({
    ...reviewDeps,
    keepEnding: slackKeepEndingNotifier({ client, dms, now }),
  });
  const lifecycle = createLifecycleService({
    ...reviewDeps,
    onActionEnqueued: () => outbox.wake(),
    accounts: slackAccounts(client),
    attest,
    keepEnding,
  });
  const jobs = stewardJobs({ sync, correlation, review, witness, campaigns, lifecycle }, policy.policy);
  return {
    client,
    admin,
    feed,
    sync,
    slack,
    correlation,
    notifier,
    outbox,
    review,
    campaigns,
    attest,
    keepEnding,
    lifecycle,
    refreshHome,
    witness,
    witnessBoard,
    jobs,
    metrics,
    assist,
  };
}

export type StewardServices = ReturnType<typeof wireServices>;
