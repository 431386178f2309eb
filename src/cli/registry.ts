import type { CliCommand } from './types.js';
import { migrateCommand } from './commands/migrate.js';
import { correlateCommand } from './commands/correlate.js';
import { auditCommand } from './commands/audit.js';

/** Every `steward <command>`; each lives in its own file under commands/. */
export const COMMANDS: CliCommand[] = [migrateCommand, correlateCommand, auditCommand];
