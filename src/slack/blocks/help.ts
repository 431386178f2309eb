import type { KnownBlock } from '@slack/types';
import { mrkdwn, plain } from './text.js';

export interface HelpView {
  blocks: KnownBlock[];
  text: string;
}

const USAGE: Array<[string, string]> = [
  [
    '/steward review <@user | email | key id | workspace id | org:<id or name> | all>',
    'review now: find what is stale and ask its owners (admins)',
  ],
  ['/steward status', 'open, kept, revoked and overdue reviews, and the oldest open items (admins)'],
  ['/steward findings [page]', 'current findings, 20 to a page (admins)'],
  ['/steward export [days]', 'the evidence of the last N days (default 30) as a CSV in your DM (admins)'],
  [
    '/steward campaign start <seats | keys | admins | workspace:id | org:<id or "name"> | all> [due days]',
    'certify all access in a scope; `campaign status [n]`, `campaign close <n> [skip|revoke|escalate]`, `export campaign <n>` (admins)',
  ],
  ['/steward ask <question>', "Claude answers from Steward's data, citing rows; it never acts (admins; needs assist)"],
  ['/steward sync accept', 'apply the directory removals the mass-change brake holds back (admins)'],
  ['/steward help', 'this message'],
];

/** The usage text: the same for everyone, with a note on what the viewer may run. */
export function helpBlocks(opts: { isAdmin: boolean; error?: string }): HelpView {
  const lines = USAGE.map(([cmd, what]) => `\`${cmd}\` — ${what}`).join('\n');
  const blocks: KnownBlock[] = [];
  if (opts.error) blocks.push({ type: 'section', text: mrkdwn(`:warning: ${opts.error}`) });
  blocks.push(
    { type: 'header', text: plain('Steward — access reviews for Claude', 150) },
    {
      type: 'section',
      text: mrkdwn(
        'Steward finds dormant seats, unowned or unused API keys and stale admins in your Claude organisation, ' +
          'asks each owner in a DM to *Keep*, *Revoke* or say *Not mine*, and records every decision with its evidence.',
      ),
    },
    { type: 'section', text: mrkdwn(lines) },
  );
  if (!opts.isAdmin) {
    blocks.push({ type: 'context', elements: [mrkdwn('Only Steward admins can run commands other than `help`.')] });
  }
  const text = `${opts.error ? `${opts.error}\n` : ''}Steward commands:\n${USAGE.map(([c, w]) => `${c} — ${w}`).join('\n')}`;
  return { blocks, text };
}
