import type { Button, KnownBlock, ModalView } from '@slack/types';
import { MAX_PURPOSE, MIN_PURPOSE, type Attestation } from '../../review/attest/deps.js';
import { ACTION, INPUT, VIEW } from '../ids.js';
import { mention, safe, slackDate } from './format.js';
import type { Rendered } from './review.js';
import { clip, LIMITS, mrkdwn, plain } from './text.js';

const ACCESS: Record<string, string> = {
  api_key: 'API key',
  org_admin: 'Organisation role',
  workspace_admin: 'Workspace admin role',
  admin_key: 'Admin API key',
};

/** "API key `ci-deploy (sk-ant-…AbCd)`", "Organisation role *admin* for *ann@…*". */
export function attestedAccessLine(a: Attestation): string {
  const what = ACCESS[a.accessKind] ?? a.accessKind;
  if (a.accessKind === 'org_admin') return `${what} *${safe(a.role ?? 'admin')}* for *${safe(a.label)}*`;
  if (a.accessKind === 'workspace_admin') return `${what} for *${safe(a.label)}*`;
  return `${what} \`${safe(a.label)}\``;
}

function answerLine(a: Attestation): string {
  if (a.status === 'attested')
    return `:white_check_mark: Attested by ${mention(a.answeredBySlackId)} ${slackDate(a.answeredAt)}: “${safe(a.purpose)}”, business owner ${mention(a.businessOwnerSlackId)}${a.endDate ? `, until ${safe(a.endDate)}` : ', no end date'}.`;
  if (a.status === 'disowned')
    return `:rotating_light: ${mention(a.answeredBySlackId)} said they did not do this ${slackDate(a.answeredAt)}; the security channel was told.`;
  return '';
}

/** The DM to whoever created or granted access: what, where, and Attest / I didn't do this. */
export function attestRequestMessage(a: Attestation): Rendered {
  const how =
    a.askedVia === 'service_account_owner'
      ? 'a service account you own created'
      : a.askedVia === 'granter'
        ? 'you granted'
        : a.askedVia === 'holder'
          ? 'you hold'
          : 'you created';
  const when = a.accessCreatedAt ? ` ${a.askedVia === 'holder' ? 'since' : 'on'} ${slackDate(a.accessCreatedAt)}` : '';
  const head = `Steward records why access exists. ${how[0]!.toUpperCase()}${how.slice(1)}:\n${attestedAccessLine(a)}${when}.`;
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(clip(head, LIMITS.sectionText)) }];
  if (a.status === 'pending') {
    const buttons: Button[] = [
      { type: 'button', text: plain('Attest', 75), action_id: ACTION.attest, value: a.id, style: 'primary' },
      {
        type: 'button',
        text: plain("I didn't do this", 75),
        action_id: ACTION.disown,
        value: a.id,
        style: 'danger',
        confirm: {
          title: plain('Report this access?', 100),
          text: mrkdwn('The security channel is alerted at once.', 300),
          confirm: plain('Report it', 30),
          deny: plain('Cancel', 30),
        },
      },
    ];
    blocks.push(
      {
        type: 'context',
        elements: [mrkdwn('Say what it is for, who owns it in the business and, if you know, when it ends.')],
      },
      { type: 'actions', block_id: `attest:${a.id}`, elements: buttons },
    );
  } else blocks.push({ type: 'section', text: mrkdwn(clip(answerLine(a), LIMITS.sectionText)) });
  return { blocks, text: clip(`Attest: ${a.label}`, 3000) };
}

/** "I didn't do this": the security channel's alert. */
export function disownedAlert(a: Attestation): Rendered {
  const text = `:rotating_light: *Access its creator disowns*\n${attestedAccessLine(a)}${a.accessCreatedAt ? `, created ${slackDate(a.accessCreatedAt)}` : ''}.\nSteward asked ${mention(a.requestedSlackId)} (the ${a.askedVia.replace(/_/g, ' ')}), who answered *I didn't do this*. Check who made it, and revoke it if nobody should have.`;
  return {
    blocks: [{ type: 'section', text: mrkdwn(clip(text, LIMITS.sectionText)) }],
    text: clip(`Disowned access: ${a.label}`, 3000),
  };
}

/** The Attest modal: purpose (required), business owner (default the person asked), end date (optional). */
export function attestModal(a: Attestation, channel: string | null): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.attest,
    private_metadata: JSON.stringify({ itemId: a.id, channel }),
    title: plain('Attest access', 24),
    submit: plain('Attest', 24),
    close: plain('Cancel', 24),
    blocks: [
      { type: 'section', text: mrkdwn(clip(attestedAccessLine(a), 3000)) },
      {
        type: 'input',
        block_id: INPUT.purpose.block,
        label: plain('What is it for?', 2000),
        element: {
          type: 'plain_text_input',
          action_id: INPUT.purpose.action,
          multiline: true,
          min_length: MIN_PURPOSE,
          max_length: MAX_PURPOSE,
          placeholder: plain('e.g. the nightly invoice export for finance', 150),
        },
      },
      {
        type: 'input',
        block_id: INPUT.businessOwner.block,
        label: plain('Business owner', 2000),
        element: {
          type: 'users_select',
          action_id: INPUT.businessOwner.action,
          ...(a.requestedSlackId ? { initial_user: a.requestedSlackId } : {}),
        },
      },
      {
        type: 'input',
        block_id: INPUT.endDate.block,
        optional: true,
        label: plain('Expected end date', 2000),
        element: { type: 'datepicker', action_id: INPUT.endDate.action },
      },
    ],
  };
}
