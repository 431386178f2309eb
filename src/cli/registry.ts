import type { CliCommand } from './types.js';
import { migrateCommand } from './commands/migrate.js';
import { syncCommand } from './commands/sync.js';
import { correlateCommand } from './commands/correlate.js';
import { auditCommand } from './commands/audit.js';
import { jobsCommand } from './commands/jobs.js';
import { reviewCommand } from './commands/review.js';

/** Every `steward <command>`; each lives in its own file under commands/. */
export const COMMANDS: CliCommand[] = [
  migrateCommand,
  syncCommand,
  correlateCommand,
  reviewCommand,
  jobsCommand,
  auditCommand,
];
