import type { App } from '@slack/bolt';
import type { Logger } from '../log.js';
import { registerStewardCommand, type CommandDeps } from './commands/steward.js';
import { registerHome } from './listeners/home.js';
import { registerReviewActions, type ReviewListenerDeps } from './listeners/review-actions.js';
import { registerReviewViews } from './listeners/review-views.js';
import { registerCampaignActions } from './listeners/campaign-actions.js';
import { registerAttestActions } from './listeners/attest-actions.js';
import type { AttestService } from '../review/attest/service.js';
import { registerKeepEndingActions } from './listeners/keep-ending-actions.js';
import type { KeepEndingService } from '../review/keep-renew.js';

export interface ListenerDeps extends CommandDeps, ReviewListenerDeps {
  logger: Logger;
  /** Attest / I didn't do this (issue 20); absent where nothing asks for attestations. */
  attest?: AttestService;
  /** Keep from the "your Keep ends in 7 days" DM (issue 20). */
  keepEnding?: KeepEndingService;
}

/** Every Slack listener; each stays thin: ack, validate, call a service, render blocks. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerStewardCommand(app, deps);
  registerReviewActions(app, deps);
  registerReviewViews(app, deps);
  registerCampaignActions(app, deps);
  if (deps.attest) registerAttestActions(app, { ...deps, attest: deps.attest });
  if (deps.keepEnding) registerKeepEndingActions(app, { ...deps, keepEnding: deps.keepEnding });
  registerHome(app, deps.refreshHome);
  app.error(async (err) => {
    deps.logger.error({ err, code: (err as { code?: string }).code }, 'unhandled Slack listener error');
  });
}
