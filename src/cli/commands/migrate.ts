import { UsageError, type CliCommand } from '../types.js';
import { migrateDatabase } from '../../db/migrate.js';
import { openDatabase } from '../../db/client.js';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'apply pending database migrations',
  usage:
    'steward migrate\n\nApplies every pending migration to DATABASE_URL (or the PGlite database in STEWARD_DATA_DIR).',
  async run(args, ctx) {
    if (args.length > 0) throw new UsageError(`unexpected argument ${args[0]}`);
    const config = ctx.config([]);
    const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
    try {
      const { applied, total } = await migrateDatabase(database);
      ctx.io.out(`${database.location}: ${applied} migration${applied === 1 ? '' : 's'} applied, ${total} in all.`);
      return 0;
    } finally {
      await database.close();
    }
  },
};
