import type { WebClient } from '@slack/web-api';
import { loadPolicy, type Config } from './config/index.js';
import { openDatabase, type Database } from './db/client.js';
import { migrateDatabase } from './db/migrate.js';
import { policyVersions } from './db/schema/index.js';
import { systemClock, type Clock } from './domain/clock.js';
import { complianceNotices, databaseChecks, healthRoutes, type ReadinessCheck } from './http/health.js';
import { runJob, type JobOutcome, type RunJobDeps } from './jobs/run-job.js';
import { createScheduler } from './jobs/scheduler.js';
import type { JobName } from './jobs/types.js';
import type { Logger } from './log.js';
import { metricsRoute } from './metrics/route.js';
import { installAuditKeys, reportAuditKeys, wireServices, type StewardServices } from './services.js';
import { createSlackApp } from './slack/app.js';

export interface RunningSteward {
  port: number;
  database: Database;
  services: StewardServices;
  /** Runs a scheduled job now, as its timer would (lock, job_runs row, audit, metrics). */
  runJob(name: JobName): Promise<JobOutcome>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** An already-open database (tests share theirs); otherwise opened from the config and closed on stop. */
  database?: Database;
  /** The clock every service reads (tests bring their own; production uses the system clock). */
  now?: Clock;
}

/** Readiness includes "Slack accepts our token" (auth.test, remembered for a minute). */
function slackAuthCheck(client: WebClient, now: Clock): ReadinessCheck {
  let okUntil = 0;
  return {
    name: 'slack',
    async check() {
      if (now().getTime() < okUntil) return;
      await client.auth.test();
      okUntil = now().getTime() + 60_000;
    },
  };
}

/**
 * The composition root: config → db → clients → services → Slack app + jobs. Tests
 * start the same thing with simulator URLs in the config.
 */
export async function startSteward(config: Config, logger: Logger, opts: StartOptions = {}): Promise<RunningSteward> {
  const now = opts.now ?? systemClock;
  const policy = loadPolicy(config.policyPath);
  installAuditKeys(config);
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
    await reportAuditKeys(database, logger);

    const services = wireServices({ config, logger, database, policy, now });
    const jobDeps: RunJobDeps = {
      database,
      logger,
      policyVersion: policy.version,
      onFinished: (job, outcome, seconds) => services.metrics.jobFinished(job, outcome, seconds),
      now,
    };
    const scheduler = createScheduler({ ...jobDeps, jobs: services.jobs, timezone: policy.policy.schedule.timezone });
    const slack = createSlackApp({
      slack: config.slack,
      port: config.port,
      logger,
      // Slack signs with its clock: requests are checked against the real one, whatever `now` is.
      wallClockMs: () => systemClock().getTime(),
      routes: healthRoutes(
        [...databaseChecks(database), slackAuthCheck(services.client, now)],
        [metricsRoute(services.metrics)],
        complianceNotices(database),
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
        assist: services.assist,
        sync: services.sync,
        campaigns: services.campaigns,
        attest: services.attest,
        keepEnding: services.keepEnding,
        now,
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
