import type { WebClient } from '@slack/web-api';
import type { Clock } from '../domain/clock.js';
import type { KeepEndingNotifier } from '../review/keep-ending.js';
import { keepEndingMessage } from './blocks/keep-ending.js';
import { withSlackPriority } from './client/paced-client.js';
import { PRIORITY } from './client/pacing.js';
import type { DmSender } from './dm-sender.js';
import { toStewardError } from './errors.js';

/** "Your Keep ends in 7 days" in Slack (issue 20): a DM through the stored channel, paced as routine. */
export function slackKeepEndingNotifier(deps: { client: WebClient; dms: DmSender; now: Clock }): KeepEndingNotifier {
  return {
    ending: (slackId, k) =>
      withSlackPriority(PRIORITY.routine, () =>
        deps.dms.send(slackId, keepEndingMessage(k, deps.now()), `Keep-ending notice to ${slackId}`),
      ),
    refresh: (ref, k) =>
      withSlackPriority(PRIORITY.interactive, async () => {
        const r = keepEndingMessage(k, deps.now());
        try {
          await deps.client.chat.update({ channel: ref.channel, ts: ref.ts, blocks: r.blocks, text: r.text });
        } catch (err) {
          throw toStewardError(err, 'updating the Keep-ending notice');
        }
      }),
  };
}
