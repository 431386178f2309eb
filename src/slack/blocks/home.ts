import type { HomeView, KnownBlock } from '@slack/types';
import type { CampaignStatus } from '../../review/queries.js';
import type { ReviewSnapshot } from '../../review/snapshot.js';
import { statusLines } from './admin.js';
import { accessLine, titleOf } from './evidence.js';
import { slackDate } from './format.js';
import { reviewButtons } from './review.js';
import { mrkdwn, plain } from './text.js';

/** Each review takes 3 blocks; the home tab allows 100. */
const MAX_REVIEWS = 25;

export function homeView(opts: { reviews: ReviewSnapshot[]; status: CampaignStatus | null; now: Date }): HomeView {
  const blocks: KnownBlock[] = [{ type: 'header', text: plain('Your access reviews', 150) }];
  if (opts.reviews.length === 0) {
    blocks.push({ type: 'section', text: mrkdwn(':white_check_mark: Nothing waiting for you.') });
  }
  for (const s of opts.reviews.slice(0, MAX_REVIEWS)) {
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `*${titleOf(s.evidence.kind)}*\n${accessLine(s.evidence)}\n_${s.evidence.rule}_ · due ${slackDate(s.item.dueAt)}`,
      ),
    });
    const buttons = reviewButtons(s, opts.now);
    if (buttons.length) blocks.push({ type: 'actions', block_id: `home:${s.item.id}`, elements: buttons });
    blocks.push({ type: 'divider' });
  }
  if (opts.reviews.length > MAX_REVIEWS) {
    blocks.push({ type: 'context', elements: [mrkdwn(`…and ${opts.reviews.length - MAX_REVIEWS} more in your DMs.`)] });
  }
  if (opts.status) {
    blocks.push(
      { type: 'header', text: plain('Campaign (admins)', 150) },
      { type: 'section', text: mrkdwn(statusLines(opts.status).join('\n')) },
    );
  }
  return { type: 'home', blocks };
}
