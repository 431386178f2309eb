import { deliverPending } from '../deliver.js';
import { closeCampaign, type CloseInput } from './close.js';
import type { CampaignDeps } from './deps.js';
import { openCampaign, type StartInput } from './open.js';
import { remindReviewer } from './remind.js';
import { campaignSummaries } from './status.js';

/** Certification campaigns (issue 16): the Slack command, the schedule and the CLI call these. */
export function createCampaignService(deps: CampaignDeps) {
  return {
    /** Opens a campaign and sends its new certifications (at Slack's pace, through the notifier). */
    async start(input: StartInput) {
      const opened = await openCampaign(deps, input);
      if (!opened) return null;
      const sent = await deliverPending(deps, { ids: opened.opened, limit: opened.opened.length });
      return { ...opened, sent };
    },
    status: (ref?: string) => campaignSummaries(deps.db, deps.now(), ref),
    close: (input: CloseInput) => closeCampaign(deps, input),
    remind: (input: { ref: string; reviewerSlackId: string; actorSlackId: string }) => remindReviewer(deps, input),
    isAdmin: (slackId: string) => deps.admins.includes(slackId),
    policy: deps.policy,
  };
}

export type CampaignService = ReturnType<typeof createCampaignService>;
