import type { Config, LoadedPolicy, Need } from '../config/index.js';
import type { Database } from '../db/client.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../log.js';
import type { StewardServices } from '../services.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliContext {
  io: CliIo;
  env: NodeJS.ProcessEnv;
  /** Loads the configuration, demanding the credentials this command needs. */
  config(need?: readonly Need[]): Config;
  logger(config: Config): Logger;
  /**
   * Opens (and migrates) the database named by the configuration, and installs its audit
   * keys (STEWARD_AUDIT_KEY) for appending and verifying; closed when the command ends.
   */
  database(config: Config): Promise<Database>;
  /** The clock of this run, for commands that read "now" themselves. */
  now: Clock;
  /**
   * Steward as the service wires it (same clients, metrics-instrumented fetch, same
   * clock), over the configuration this command needs; the outbox worker is stopped
   * and the database closed when the command ends.
   */
  steward(need: readonly Need[]): Promise<CliSteward>;
}

export interface CliSteward {
  config: Config;
  policy: LoadedPolicy;
  logger: Logger;
  database: Database;
  services: StewardServices;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** Full usage text for `steward <name> --help`. */
  usage: string;
  /** Resolves to the process exit code. */
  run(args: string[], ctx: CliContext): Promise<number>;
}

/** A usage mistake: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
