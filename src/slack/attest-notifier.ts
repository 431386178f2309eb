import type { WebClient } from '@slack/web-api';
import type { AttestNotifier, Attestation } from '../review/attest/deps.js';
import type { MessageRef } from '../review/notifier.js';
import type { PersonNotifier } from '../review/subject-notice.js';
import { attestRequestMessage, disownedAlert } from './blocks/attest.js';
import type { Rendered } from './blocks/review.js';
import { noAnswer, toStewardError } from './errors.js';

/** Attestation's voice in Slack (issue 20): the creator's DM and the security channel's alert. */
export function slackAttestNotifier(deps: { client: WebClient; securityChannel: string }): AttestNotifier {
  async function post(channel: string, r: Rendered, what: string): Promise<MessageRef> {
    try {
      const res = await deps.client.chat.postMessage({ channel, blocks: r.blocks, text: r.text, unfurl_links: false });
      if (!res.ts || !res.channel) throw noAnswer('the message ts (chat.postMessage)');
      return { channel: res.channel, ts: res.ts };
    } catch (err) {
      throw toStewardError(err, what);
    }
  }
  return {
    async request(a: Attestation) {
      let channel: string;
      try {
        const r = await deps.client.conversations.open({ users: a.requestedSlackId! });
        if (!r.channel?.id) throw noAnswer('the channel of a DM (conversations.open)');
        channel = r.channel.id;
      } catch (err) {
        throw toStewardError(err, `opening a DM with ${a.requestedSlackId}`);
      }
      return post(channel, attestRequestMessage(a), `attestation request to ${a.requestedSlackId}`);
    },
    async refresh(a) {
      if (!a.slackChannel || !a.slackTs) return;
      const r = attestRequestMessage(a);
      try {
        await deps.client.chat.update({ channel: a.slackChannel, ts: a.slackTs, blocks: r.blocks, text: r.text });
      } catch (err) {
        throw toStewardError(err, 'updating the attestation request');
      }
    },
    disowned: (a) => post(deps.securityChannel, disownedAlert(a), 'disowned access to the security channel'),
  };
}

/** A plain DM to one person (the subject told of a change to their access, issue 20). */
export function slackPersonNotifier(client: WebClient): PersonNotifier {
  return {
    async tell(slackId, text) {
      try {
        const dm = await client.conversations.open({ users: slackId });
        if (!dm.channel?.id) throw noAnswer('the channel of a DM (conversations.open)');
        await client.chat.postMessage({ channel: dm.channel.id, text, unfurl_links: false });
      } catch (err) {
        throw toStewardError(err, `telling ${slackId} about their access`);
      }
    },
  };
}
