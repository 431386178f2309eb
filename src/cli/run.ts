import { loadConfig, loadPolicy, secretValues, type Config } from '../config/index.js';
import { openDatabase, type Database } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { systemClock } from '../domain/clock.js';
import { operatorText } from '../domain/errors.js';
import { createLogger } from '../log.js';
import { installAuditKeys, wireServices, type StewardServices } from '../services.js';
import { COMMANDS } from './registry.js';
import { UsageError, type CliContext, type CliIo } from './types.js';

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: steward <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `steward <command> --help` for a command's options. Configuration comes from the",
    'same environment variables as the service (see README).',
  ].join('\n');
}

/**
 * Runs one CLI invocation and returns its exit code; never throws. This is the command
 * line's composition root: it reads the configuration, chooses the clock, opens the
 * database and wires the services each command asks for.
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`steward: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  const opened: Database[] = [];
  const wired: StewardServices[] = [];
  const now = systemClock;
  const logger = (config: Config) =>
    createLogger({
      level: config.log.level === 'info' ? 'warn' : config.log.level,
      format: config.log.format,
      secrets: secretValues(config),
    });
  const database = async (config: Config) => {
    // Every command that appends or verifies audit rows opens the database first.
    installAuditKeys(config);
    const db = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
    opened.push(db);
    await migrateDatabase(db);
    return db;
  };
  const ctx: CliContext = {
    io,
    env,
    now,
    config: (need = []) => loadConfig(env, need),
    logger,
    database,
    async steward(need) {
      const config = loadConfig(env, need);
      const policy = loadPolicy(config.policyPath);
      const log = logger(config);
      const db = await database(config);
      const services = wireServices({ config, logger: log, database: db, policy, now });
      wired.push(services);
      return { config, policy, logger: log, database: db, services };
    },
  };
  try {
    return await command.run(rest, ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`steward ${name}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    io.err(operatorText(err, `steward ${name} failed`));
    return 1;
  } finally {
    for (const s of wired) await s.outbox.stop().catch(() => {});
    for (const d of opened) await d.close().catch(() => {});
  }
}
