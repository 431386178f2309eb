import { WebClient } from '@slack/web-api';
import { createOutboxWorker } from './actions/worker.js';
import { auditKeyWarning } from './audit/key-check.js';
import { auditKeyring, installAuditKeyring } from './audit/mac.js';
import { createAuditWitness } from './audit/witness.js';
import { createComplianceFeedClient } from './anthropic/compliance/client.js';
import { createSdkAdminApi } from './anthropic/sdk-admin-api.js';
import { loadPolicy, type Config, type LoadedPolicy } from './config/index.js';
import { createCorrelationService } from './correlate/service.js';
import { cachedSlackLookup, webClientLookup } from './correlate/slack-identity.js';
import { openDatabase, type Database } from './db/client.js';
import { migrateDatabase } from './db/migrate.js';
import { policyVersions } from './db/schema/index.js';
import { databaseChecks, healthRoutes, type ReadinessCheck } from './http/health.js';
import { stewardJobs } from './jobs/definitions.js';
import { runJob, type JobOutcome, type RunJobDeps } from './jobs/run-job.js';
import { createScheduler } from './jobs/scheduler.js';
import type { JobName } from './jobs/types.js';
import { anthropicMethod, createMetrics, slackMethod } from './metrics/registry.js';
import { metricsRoute } from './metrics/route.js';
import { createSyncService } from './sync/service.js';
import type { Logger } from './log.js';
import { createReviewService } from './review/service.js';
import { loadSnapshot } from './review/snapshot.js';
import { createSlackApp } from './slack/app.js';
import { boltLogger } from './slack/bolt-logger.js';
import { slackDirectory } from './slack/directory.js';
import { homePublisher } from './slack/listeners/home.js';
import { slackNotifier } from './slack/notifier.js';
import { slackWitnessBoard } from './slack/witness-board.js';

export interface RunningSteward {
  port: number;
  database: Database;
  services: ReturnType<typeof wireServices>;
  /** Runs a scheduled job now, as its timer would (lock, job_runs row, audit, metrics). */
  runJob(name: JobName): Promise<JobOutcome>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** An already-open database (tests share theirs); otherwise opened from the config and closed on stop. */
  database?: Database;
  /** The clock every service reads (tests move it; production leaves it alone). */
  now?: () => Date;
}

export const SLACK_RETRY = { retries: 8, factor: 2, minTimeout: 250, maxTimeout: 5_000, randomize: true };

/** Services over real adapters: Slack WebClient, Anthropic SDK, the database. */
export function wireServices(
  config: Config,
  logger: Logger,
  database: Database,
  policy: LoadedPolicy,
  now?: () => Date,
) {
  const db = database.db;
  const metrics = createMetrics({ db, ...(now ? { now } : {}) });
  const client = new WebClient(config.slack.botToken, {
    fetch: metrics.instrumentedFetch('slack', slackMethod),
    ...(config.slack.apiUrl
      ? { slackApiUrl: config.slack.apiUrl.endsWith('/') ? config.slack.apiUrl : `${config.slack.apiUrl}/` }
      : {}),
    logger: boltLogger(logger, { component: 'slack-web-api', quietDebug: true }),
    // Rate limits wait out Retry-After; outages back off for ~25 s in all, then the
    // caller decides (a review stays pending for the next run).
    retryConfig: SLACK_RETRY,
  });
  const admin = createSdkAdminApi({
    apiKey: config.anthropic.adminKey,
    baseUrl: config.anthropic.baseUrl,
    fetch: metrics.instrumentedFetch('anthropic', anthropicMethod),
  });
  const feed = createComplianceFeedClient({
    apiKey: config.anthropic.complianceKey,
    baseUrl: config.anthropic.baseUrl,
    logger,
    fetch: metrics.instrumentedFetch('anthropic', anthropicMethod),
  });
  const sync = createSyncService({ db, logger, policy, admin, feed, ...(now ? { now } : {}) });
  const lookup = cachedSlackLookup({
    db,
    lookup: webClientLookup(client),
    ttlHours: policy.policy.review.slack_lookup_ttl_hours,
    ...(now ? { now } : {}),
  });
  const slack = slackDirectory(client, lookup);
  const correlation = createCorrelationService({ db, logger, policy, slack: lookup, ...(now ? { now } : {}) });
  const notifier = slackNotifier({
    client,
    securityChannel: config.securityChannel,
    logger,
    loadSnapshot: (id) => loadSnapshot(db, id, policy.policy),
    ...(now ? { now } : {}),
  });
  const outbox = createOutboxWorker({
    db,
    access: admin,
    logger,
    notifier,
    sessionLock: (key, o) => database.sessionLock(key, o),
    dryRun: config.dryRun,
    policyVersion: policy.version,
    ...(now ? { now } : {}),
  });
  const review = createReviewService({
    db,
    logger,
    policy,
    admins: config.admins,
    notifier,
    slack,
    onActionEnqueued: () => outbox.wake(),
    ...(now ? { now } : {}),
  });
  const refreshHome = homePublisher({ review, client, logger, ...(now ? { now } : {}) });
  // The audit head's witness; `witness.postHead()` is also for callers that close something that matters.
  const witness = createAuditWitness({ db, board: slackWitnessBoard({ client, channel: config.securityChannel }) });
  const jobs = stewardJobs({ sync, correlation, review, witness }, policy.policy);
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
    refreshHome,
    witness,
    jobs,
    metrics,
  };
}

/** Readiness includes "Slack accepts our token" (auth.test, remembered for a minute). */
function slackAuthCheck(client: WebClient): ReadinessCheck {
  let okUntil = 0;
  return {
    name: 'slack',
    async check() {
      if (Date.now() < okUntil) return;
      await client.auth.test();
      okUntil = Date.now() + 60_000;
    },
  };
}

/**
 * The composition root: config → db → clients → services → Slack app + jobs. Tests
 * start the same thing with simulator URLs in the config.
 */
export async function startSteward(config: Config, logger: Logger, opts: StartOptions = {}): Promise<RunningSteward> {
  const policy = loadPolicy(config.policyPath);
  const keyring = auditKeyring(config.auditKeys);
  installAuditKeyring(keyring);
  const ownsDatabase = opts.database === undefined;
  const database =
    opts.database ?? (await openDatabase({ url: config.database.url, dataDir: config.database.dataDir }));
  try {
    const { applied, total } = await migrateDatabase(database);
    logger.info({ applied, total, database: database.location }, 'database migrations applied');
    await database.db
      .insert(policyVersions)
      .values({ version: policy.version, policy: JSON.parse(JSON.stringify(policy.policy)) as Record<string, unknown> })
      .onConflictDoNothing();
    logger.info({ policy: policy.source, version: policy.version }, 'policy loaded');
    const keyWarning = await auditKeyWarning(database.db, keyring);
    if (keyWarning) logger.warn(keyWarning);
    else
      logger.info(
        { auditKey: keyring.signing?.id ?? null },
        keyring.signing
          ? 'audit rows are keyed'
          : 'audit rows are chained but not keyed (STEWARD_AUDIT_KEY is not set)',
      );

    const services = wireServices(config, logger, database, policy, opts.now);
    const jobDeps: RunJobDeps = {
      database,
      logger,
      policyVersion: policy.version,
      onFinished: (job, outcome, seconds) => services.metrics.jobFinished(job, outcome, seconds),
      ...(opts.now ? { now: opts.now } : {}),
    };
    const scheduler = createScheduler({ ...jobDeps, jobs: services.jobs, timezone: policy.policy.schedule.timezone });
    const slack = createSlackApp({
      slack: config.slack,
      port: config.port,
      logger,
      routes: healthRoutes(
        [...databaseChecks(database), slackAuthCheck(services.client)],
        [metricsRoute(services.metrics)],
      ),
      listeners: {
        db: database.db,
        admins: config.admins,
        review: services.review,
        correlation: services.correlation,
        slack: services.slack,
        client: services.client,
        policyVersion: policy.version,
        refreshHome: services.refreshHome,
        ...(opts.now ? { now: opts.now } : {}),
      },
    });
    const { port } = await slack.start();
    services.outbox.start();
    scheduler.start();
    logger.info(
      { port, mode: config.slack.mode, database: database.location, dryRun: config.dryRun },
      'Steward is running',
    );

    let stopped = false;
    return {
      port,
      database,
      services,
      runJob: (name) =>
        runJob(
          jobDeps,
          services.jobs.find((j) => j.name === name)!,
        ),
      async stop() {
        if (stopped) return;
        stopped = true;
        // No new work: timers off, then no new requests; then finish what is in hand.
        await scheduler.stop();
        await slack.stop();
        await services.outbox.stop();
        if (ownsDatabase) await database.close();
      },
    };
  } catch (err) {
    if (ownsDatabase) await database.close().catch(() => {});
    throw err;
  }
}
