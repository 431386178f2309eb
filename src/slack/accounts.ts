import type { WebClient } from '@slack/web-api';
import type { SlackAccount, SlackAccounts } from '../review/leavers.js';
import { toStewardError } from './errors.js';

/**
 * Every Slack account through users.list, deleted users included ("includes both
 * invited users and deleted/deactivated users", https://docs.slack.dev/reference/methods/users.list),
 * following `response_metadata.next_cursor` to the end; any failed page fails the whole
 * listing, so a partial list never makes anyone look gone.
 */
export function slackAccounts(client: WebClient): SlackAccounts {
  return {
    async listAccounts() {
      const out: SlackAccount[] = [];
      let cursor: string | undefined;
      do {
        let page;
        try {
          page = await client.users.list({ limit: 200, ...(cursor ? { cursor } : {}) });
        } catch (err) {
          throw toStewardError(err, 'listing Slack users (users.list)');
        }
        for (const m of page.members ?? [])
          if (m.id) out.push({ id: m.id, deleted: m.deleted === true, email: m.profile?.email?.toLowerCase() ?? null });
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return out;
    },
  };
}
