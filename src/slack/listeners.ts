import type { App } from '@slack/bolt';
import type { Logger } from '../log.js';
import { registerStewardCommand } from './commands/steward.js';

export interface ListenerDeps {
  logger: Logger;
  /** Slack user ids allowed to run admin commands and decide any review. */
  admins: readonly string[];
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  registerStewardCommand(app, deps);
  app.error(async (err) => {
    deps.logger.error({ err, code: (err as { code?: string }).code }, 'unhandled Slack listener error');
  });
}
