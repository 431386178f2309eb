import type { WebClient } from '@slack/web-api';
import { describeKeyProblem, type OrgKeyCheck } from '../db/organization-keys.js';
import type { DirectoryAlerts, HeldRemovals } from '../sync/directory/alerts.js';
import type { Rejected } from '../sync/directory/validate.js';
import { toStewardError } from './errors.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const LISTING: Record<string, string> = {
  users: 'organisation members',
  workspaces: 'workspaces',
  members: 'workspace memberships',
  api_keys: 'API keys',
};

export function heldRemovalsText(h: HeldRemovals): string {
  const what = LISTING[h.listing] ?? h.listing;
  return (
    `:octagonal_sign: *Steward held back a mass removal.* This directory sync would have marked ` +
    `*${h.held} of ${h.known}* known ${what} removed, more than ${h.percent}% and at least ${h.atLeast}. ` +
    `Nothing of it was applied, and no finding is raised from it. ` +
    `If the removals are real, a Steward admin accepts them with \`/steward sync accept\` ` +
    `(or \`steward sync --accept-removals\`); if the listing was wrong, the next sync that lists them clears the hold.` +
    (h.examples.length ? `\nHeld back, for example: ${h.examples.map((e) => `\`${e}\``).join(', ')}` : '')
  );
}

export function skippedRecordsText(rejected: readonly Rejected[]): string {
  const shown = rejected.slice(0, 15).map((r) => `• ${r.listing.replace('_', ' ')}: \`${r.record}\`: ${r.problem}`);
  const more =
    rejected.length > shown.length ? `\n…and ${rejected.length - shown.length} more (see the sync's notes)` : '';
  return (
    `:warning: *The directory sync skipped ${plural(rejected.length, 'malformed record')}* from the Admin API ` +
    `(the rest was stored; these are reported once):\n${shown.join('\n')}${more}`
  );
}

/** An organisation's Admin key changed state (issue 17): what cannot be read, or reads again. */
export function organizationKeysText(changed: readonly OrgKeyCheck[]): string {
  const lines = changed.map((c) =>
    c.state === 'ok'
      ? `• :white_check_mark: Organisation "${c.name ?? c.orgId}" (${c.orgId}): its Admin API key reads again.`
      : `• ${describeKeyProblem(c)}.`,
  );
  return `:rotating_light: *Steward's access to an organisation changed.*\n${lines.join('\n')}`;
}

/** The directory sync's alerts, posted to the security channel. */
export function slackDirectoryAlerts(deps: { client: WebClient; channel: string }): DirectoryAlerts {
  const post = async (text: string, what: string) => {
    try {
      await deps.client.chat.postMessage({ channel: deps.channel, text, unfurl_links: false, unfurl_media: false });
    } catch (err) {
      throw toStewardError(err, what);
    }
  };
  return {
    removalsHeld: (h) => post(heldRemovalsText(h), 'alerting about held removals'),
    recordsSkipped: (r) => post(skippedRecordsText(r), 'alerting about malformed directory records'),
    organizationKeys: (c) => post(organizationKeysText(c), 'alerting about an Admin key'),
  };
}
