import type { App } from '@slack/bolt';
import type { Logger } from '../log.js';
import { registerStewardCommand, type CommandDeps } from './commands/steward.js';
import { registerHome } from './listeners/home.js';
import { registerReviewActions, type ReviewListenerDeps } from './listeners/review-actions.js';
import { registerReviewViews } from './listeners/review-views.js';
import { registerCampaignActions } from './listeners/campaign-actions.js';

export interface ListenerDeps extends CommandDeps, ReviewListenerDeps {
  logger: Logger;
}

/** Every Slack listener; each stays thin: ack, validate, call a service, render blocks. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerStewardCommand(app, deps);
  registerReviewActions(app, deps);
  registerReviewViews(app, deps);
  registerCampaignActions(app, deps);
  registerHome(app, deps.refreshHome);
  app.error(async (err) => {
    deps.logger.error({ err, code: (err as { code?: string }).code }, 'unhandled Slack listener error');
  });
}
