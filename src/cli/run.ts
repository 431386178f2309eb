import { auditKeyring, installAuditKeyring } from '../audit/mac.js';
import { ConfigError, loadConfig, secretValues } from '../config/index.js';
import { openDatabase, type Database } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { isStewardError } from '../errors.js';
import { createLogger } from '../log.js';
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

/** Runs one CLI invocation and returns its exit code; never throws. */
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
  const ctx: CliContext = {
    io,
    env,
    config: (need = []) => loadConfig(env, need),
    logger: (config) =>
      createLogger({
        level: config.log.level === 'info' ? 'warn' : config.log.level,
        format: config.log.format,
        secrets: secretValues(config),
      }),
    async database(config) {
      // Every command that appends or verifies audit rows opens the database first.
      installAuditKeyring(auditKeyring(config.auditKeys));
      const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
      opened.push(database);
      await migrateDatabase(database);
      return database;
    },
  };
  try {
    return await command.run(rest, ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`steward ${name}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    if (err instanceof ConfigError || isStewardError(err)) {
      io.err(err.message);
      return 1;
    }
    io.err(`steward ${name} failed: ${(err as Error).message}`);
    return 1;
  } finally {
    for (const d of opened) await d.close().catch(() => {});
  }
}
