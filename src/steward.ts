import type { Config } from './config/index.js';
import type { Logger } from './log.js';
import { openDatabase, type Database } from './db/client.js';
import { migrateDatabase } from './db/migrate.js';
import { databaseChecks, healthRoutes } from './http/health.js';
import { createSlackApp } from './slack/app.js';

export interface RunningSteward {
  port: number;
  database: Database;
  stop(): Promise<void>;
}

/**
 * The composition root: config → db → clients → services → Slack app + jobs. Tests
 * start the same thing with simulator URLs in the config.
 */
export interface StartOptions {
  /** An already-open database (tests share theirs); otherwise opened from the config and closed on stop. */
  database?: Database;
}

export async function startSteward(config: Config, logger: Logger, opts: StartOptions = {}): Promise<RunningSteward> {
  const ownsDatabase = opts.database === undefined;
  const database = opts.database ?? (await openDatabase({ url: config.database.url, dataDir: config.database.dataDir }));
  try {
    const { applied, total } = await migrateDatabase(database);
    logger.info({ applied, total, database: database.location }, 'database migrations applied');

    const slack = createSlackApp({
      slack: config.slack,
      port: config.port,
      logger,
      routes: healthRoutes(databaseChecks(database)),
      listeners: { admins: config.admins },
    });
    const { port } = await slack.start();
    logger.info({ port, mode: config.slack.mode, database: database.location, dryRun: config.dryRun }, 'Steward is running');

    let stopped = false;
    return {
      port,
      database,
      async stop() {
        if (stopped) return;
        stopped = true;
        await slack.stop();
        if (ownsDatabase) await database.close();
      },
    };
  } catch (err) {
    if (ownsDatabase) await database.close().catch(() => {});
    throw err;
  }
}
