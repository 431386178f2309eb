import type { CliCommand } from './types.js';
import { migrateCommand } from './commands/migrate.js';

/** Every `steward <command>`; each lives in its own file under commands/. */
export const COMMANDS: CliCommand[] = [migrateCommand];
