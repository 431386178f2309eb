import { ConfigError, loadConfig, secretValues } from './config/index.js';
import { explainStartupError } from './config/startup-error.js';
import { createLogger } from './log.js';
import { startSteward } from './steward.js';
import { isStewardError } from './domain/errors.js';

const SHUTDOWN_BOUND_MS = 15_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.log.level, format: config.log.format, secrets: secretValues(config) });
  let steward;
  try {
    steward = await startSteward(config, logger);
  } catch (err) {
    const message = explainStartupError(err, {
      databaseUrl: config.database.url,
      dataDir: config.database.dataDir,
      port: config.port,
    });
    // The stack is for debugging; an operator gets the cause in one line on stderr.
    const debug = config.log.level === 'debug' || config.log.level === 'trace';
    logger.fatal(
      { ...(debug ? { err } : {}), code: isStewardError(err) ? err.code : undefined, cause: message },
      'start-up failed',
    );
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
  const running = steward;
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, SHUTDOWN_BOUND_MS);
    timer.unref();
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main();
