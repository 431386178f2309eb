import type { App, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { appendAudit } from '../../audit/append.js';
import { exportAuditToBuffer } from '../../audit/export.js';
import type { CorrelationService } from '../../correlate/service.js';
import type { Db } from '../../db/types.js';
import { userText } from '../../domain/errors.js';
import type { Logger } from '../../log.js';
import type { SlackDirectory } from '../../review/deps.js';
import { runReviewCycle } from '../../review/cycle.js';
import type { ReviewService } from '../../review/service.js';
import type { CampaignService } from '../../review/campaigns/service.js';
import { runCampaignCommand } from './campaign.js';
import type { Assist } from '../../assist/types.js';
import { findingsMessage, statusMessage } from '../blocks/admin.js';
import { askMessage } from '../blocks/ask.js';
import { helpBlocks } from '../blocks/help.js';
import { ACTION } from '../ids.js';
import { parseStewardCommand, type StewardCommand } from './parse.js';
import { toCorrelationTarget } from './targets.js';
import type { Clock } from '../../domain/clock.js';
import type { SyncService } from '../../sync/service.js';

export interface CommandDeps {
  db: Db;
  logger: Logger;
  admins: readonly string[];
  review: ReviewService;
  correlation: CorrelationService;
  slack: SlackDirectory;
  client: WebClient;
  policyVersion: string;
  /** `/steward ask` (Claude assist, or its off form). */
  assist: Pick<Assist, 'ask'>;
  /** `/steward sync accept`: the removals the mass-change brake holds. */
  sync: Pick<SyncService, 'acceptRemovals'>;
  /** Certification campaigns (`/steward campaign …`). */
  campaigns: CampaignService;
  now: Clock;
}

/**
 * `/steward`: ack fast with the answer when it is cheap (help, usage errors, refusals);
 * everything slow runs after the ack and answers through `respond` (ephemeral).
 */
export function registerStewardCommand(app: App, deps: CommandDeps): void {
  app.command('/steward', async ({ command, ack, respond }) => {
    const isAdmin = deps.admins.includes(command.user_id);
    const parsed = parseStewardCommand(command.text ?? '');
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', ...helpBlocks({ isAdmin, error: parsed.error }) });
      return;
    }
    const cmd = parsed.command;
    if (cmd.sub === 'help') {
      await ack({ response_type: 'ephemeral', ...helpBlocks({ isAdmin }) });
      return;
    }
    if (!isAdmin) {
      await audit(deps, command.user_id, cmd, 'refused');
      await ack({
        response_type: 'ephemeral',
        text: `Only Steward admins can run \`/steward ${cmd.sub}\`. Try \`/steward help\`.`,
      });
      return;
    }
    await ack({ response_type: 'ephemeral', text: working(cmd) });
    const log = deps.logger.child({ command: cmd.sub, slackUser: command.user_id });
    try {
      await audit(deps, command.user_id, cmd, 'run');
      await run(deps, cmd, command.user_id, respond);
    } catch (err) {
      log.error({ err }, 'slash command failed');
      await respond({
        response_type: 'ephemeral',
        text: `\`/steward ${cmd.sub}\` failed. ${userText(err)}`,
      });
    }
  });

  app.action(new RegExp(`^${ACTION.findingsPage}_`), async ({ ack, action, body, respond }) => {
    await ack();
    if (!deps.admins.includes(body.user.id)) {
      // A non-admin holding (or forging) a findings page: refused, said so, and audited.
      await audit(deps, body.user.id, { sub: 'findings', page: 0 }, 'refused');
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'Only Steward admins can page findings.',
      });
      return;
    }
    const page = Number((action as { value?: string }).value ?? 1);
    const m = findingsMessage(await deps.review.findings(Number.isFinite(page) ? page : 1));
    await respond({ response_type: 'ephemeral', replace_original: true, ...m });
  });
}

function working(cmd: StewardCommand): string {
  switch (cmd.sub) {
    case 'review':
      return ':hourglass_flowing_sand: Reviewing… you will get a summary here when the reviews are sent.';
    case 'export':
      return `:hourglass_flowing_sand: Preparing the evidence export for the last ${cmd.days} days…`;
    case 'ask':
      return ':hourglass_flowing_sand: Looking into it…';
    default:
      return ':hourglass_flowing_sand: One moment…';
  }
}

async function run(deps: CommandDeps, cmd: StewardCommand, userId: string, respond: RespondFn): Promise<void> {
  switch (cmd.sub) {
    case 'status':
      await respond({
        response_type: 'ephemeral',
        replace_original: true,
        ...statusMessage(await deps.review.status()),
      });
      return;
    case 'findings':
      await respond({
        response_type: 'ephemeral',
        replace_original: true,
        ...findingsMessage(await deps.review.findings(cmd.page)),
      });
      return;
    case 'review': {
      const target = await toCorrelationTarget(cmd.target, deps.slack);
      if ('error' in target) {
        await respond({ response_type: 'ephemeral', replace_original: true, text: target.error });
        return;
      }
      const { findings, suppressed, opened, sent, ...cycle } = await runReviewCycle(deps, { target });
      const text =
        `*Review of ${cycle.target}*: ${findings} open finding${findings === 1 ? '' : 's'}` +
        `${suppressed ? ` (${suppressed} more exempted or certified)` : ''}. ` +
        `${opened.created} new review${opened.created === 1 ? '' : 's'}: ${opened.toOwners} to owners, ${opened.toSecurityChannel} to the security channel; ` +
        `${sent.delivered + sent.rerouted} sent${sent.failed ? `, ${sent.failed} not delivered yet (will retry)` : ''}.`;
      await respond({ response_type: 'ephemeral', replace_original: true, text });
      return;
    }
    case 'export': {
      const now = deps.now();
      const since = new Date(now.getTime() - cmd.days * 86_400_000);
      const { content, filename, summary } = await exportAuditToBuffer(deps.db, { format: 'csv', since, now });
      const dm = await deps.client.conversations.open({ users: userId });
      await deps.client.filesUploadV2({
        channel_id: dm.channel!.id!,
        file: content,
        filename,
        title: `Steward evidence, last ${cmd.days} days`,
        initial_comment: `Evidence export: ${summary.rows} decision${summary.rows === 1 ? '' : 's'} from the last ${cmd.days} days (audit log up to row ${summary.snapshotSeq}). Check the chain with \`steward audit verify\`.`,
      });
      await respond({
        response_type: 'ephemeral',
        replace_original: true,
        text: `:white_check_mark: Sent ${filename} (${summary.rows} decisions) to your DM.`,
      });
      return;
    }
    case 'campaign':
      await runCampaignCommand(deps, cmd.campaign, userId, respond);
      return;
    case 'ask': {
      const answer = await deps.assist.ask({ text: cmd.question, askedBySlackId: userId });
      await respond({ response_type: 'ephemeral', replace_original: true, ...askMessage(cmd.question, answer) });
      return;
    }
    case 'sync': {
      // Admins only: checked above against STEWARD_ADMINS, never against the payload.
      const accepted = await deps.sync.acceptRemovals({ kind: 'slack', slackId: userId });
      const text = accepted.length
        ? `:white_check_mark: Accepted the held removals: ${accepted.map((a) => `${a.listing} ${a.applied} of ${a.held}`).join(', ')} marked removed (any seen again since were kept).`
        : 'No removals are held back; nothing to accept.';
      await respond({ response_type: 'ephemeral', replace_original: true, text });
      return;
    }
    default:
      return;
  }
}

async function audit(deps: CommandDeps, slackId: string, cmd: StewardCommand, outcome: string): Promise<void> {
  await deps.db.transaction((tx) =>
    appendAudit(tx, {
      actor: { type: 'slack_user', slackId },
      action: 'command.run',
      outcome,
      details: { command: `/steward ${cmd.sub}`, args: cmd },
      policyVersion: deps.policyVersion,
      at: deps.now(),
    }),
  );
}
