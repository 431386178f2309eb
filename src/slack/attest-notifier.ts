import type { WebClient } from '@slack/web-api';
import type { AttestNotifier, Attestation } from '../review/attest/deps.js';
import type { MessageRef } from '../review/notifier.js';
import type { PersonNotifier } from '../review/subject-notice.js';
import { attestRequestMessage, disownedAlert } from './blocks/attest.js';
import type { Rendered } from './blocks/review.js';
import { withSlackPriority } from './client/paced-client.js';
import { PRIORITY } from './client/pacing.js';
import { postRendered, type DmSender } from './dm-sender.js';
import { toStewardError } from './errors.js';

/** Attestation's voice in Slack (issue 20): the creator's DM and the security channel's alert. */
export function slackAttestNotifier(deps: {
  client: WebClient;
  securityChannel: string;
  dms: DmSender;
}): AttestNotifier {
  async function post(channel: string, r: Rendered, what: string): Promise<MessageRef> {
    try {
      return await postRendered(deps.client, channel, r);
    } catch (err) {
      throw toStewardError(err, what);
    }
  }
  return {
    // Through the stored DM channel, paced as routine like a review DM: no conversations.open.
    request: (a: Attestation) =>
      withSlackPriority(PRIORITY.routine, () =>
        deps.dms.send(a.requestedSlackId!, attestRequestMessage(a), `attestation request to ${a.requestedSlackId}`),
      ),
    refresh: (a) =>
      withSlackPriority(PRIORITY.interactive, async () => {
        if (!a.slackChannel || !a.slackTs) return;
        const r = attestRequestMessage(a);
        try {
          await deps.client.chat.update({ channel: a.slackChannel, ts: a.slackTs, blocks: r.blocks, text: r.text });
        } catch (err) {
          throw toStewardError(err, 'updating the attestation request');
        }
      }),
    disowned: (a) =>
      withSlackPriority(PRIORITY.urgent, () =>
        post(deps.securityChannel, disownedAlert(a), 'disowned access to the security channel'),
      ),
  };
}

/** A plain DM to one person (the subject told of a change to their access, issue 20). */
export function slackPersonNotifier(dms: DmSender): PersonNotifier {
  return {
    async tell(slackId, text) {
      const r: Rendered = { blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }], text };
      await withSlackPriority(PRIORITY.routine, () => dms.send(slackId, r, `telling ${slackId} about their access`));
    },
  };
}
