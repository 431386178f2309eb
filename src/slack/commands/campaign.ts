import type { RespondFn } from '@slack/bolt';
import { campaignCsv, campaignReport } from '../../audit/campaign-report.js';
import { parseScope } from '../../review/campaigns/rules.js';
import type { CampaignService } from '../../review/campaigns/service.js';
import { campaignStatusMessage } from '../blocks/campaign.js';
import { slackDate } from '../blocks/format.js';
import type { CampaignCommand } from './campaign-parse.js';
import type { CommandDeps } from './steward.js';

export const CAMPAIGN_DEFAULT_DUE_DAYS = 14;

/** `/steward campaign start|status|close` and `/steward export campaign` (admins; checked by the caller). */
export async function runCampaignCommand(
  deps: CommandDeps & { campaigns: CampaignService },
  cmd: CampaignCommand,
  userId: string,
  respond: RespondFn,
): Promise<void> {
  const reply = (text: string) => respond({ response_type: 'ephemeral', replace_original: true, text });
  switch (cmd.action) {
    case 'start': {
      const scope = parseScope(cmd.scope)!;
      const r = await deps.campaigns.start({
        scope,
        dueDays: cmd.dueDays ?? CAMPAIGN_DEFAULT_DUE_DAYS,
        startedBySlackId: userId,
        via: 'command',
      });
      if (!r) {
        await reply('That campaign was already opened.');
        return;
      }
      const sent = r.sent.delivered + r.sent.rerouted;
      await reply(
        `:clipboard: *Campaign #${r.number}* (${r.scope}) is open: ${r.items} item${r.items === 1 ? '' : 's'}, due ${slackDate(r.dueAt)}. ` +
          `${r.opened.length} certification${r.opened.length === 1 ? '' : 's'} opened (${sent} sent${r.sent.failed ? `, ${r.sent.failed} to retry` : ''}${r.unassigned ? `, ${r.unassigned} to the security channel` : ''}); ` +
          `${r.joined} joined a review already open. Follow it with \`/steward campaign status ${r.number}\`.`,
      );
      return;
    }
    case 'status': {
      const summaries = await deps.campaigns.status(cmd.ref ?? undefined);
      if (summaries === null) {
        await reply(`There is no campaign ${cmd.ref}.`);
        return;
      }
      await respond({
        response_type: 'ephemeral',
        replace_original: true,
        ...campaignStatusMessage(summaries, deps.now()),
      });
      return;
    }
    case 'close': {
      const r = await deps.campaigns.close({
        ref: cmd.ref,
        actorSlackId: userId,
        ...(cmd.mode ? { mode: cmd.mode } : {}),
      });
      if (!r.ok) {
        await reply(r.message);
        return;
      }
      await reply(
        `:white_check_mark: Campaign #${r.number} is closed. Undecided items: ${r.revoked} revoked, ${r.escalated} escalated, ${r.skipped} skipped (${r.mode}).` +
          `${r.witnessedSeq ? ` The audit head (row ${r.witnessedSeq}) was posted to the security channel as a witness.` : ''}`,
      );
      return;
    }
    case 'export': {
      const report = await campaignReport(deps.db, cmd.ref, deps.now());
      if (!report) {
        await reply(`There is no campaign ${cmd.ref}.`);
        return;
      }
      const filename = `steward-campaign-${report.campaign.number}.csv`;
      const dm = await deps.client.conversations.open({ users: userId });
      await deps.client.filesUploadV2({
        channel_id: dm.channel!.id!,
        file: Buffer.from(campaignCsv(report)),
        filename,
        title: `Steward campaign #${report.campaign.number} (${report.campaign.scope})`,
        initial_comment:
          `Campaign #${report.campaign.number} report: ${report.items.length} items, audit rows ${report.auditRange.fromSeq ?? '?'}–${report.auditRange.toSeq}` +
          ` (chain ${report.chain.ok ? 'verified' : 'BROKEN'}). The HTML version: \`steward audit campaign ${report.campaign.number} --format html\`.`,
      });
      await reply(`:white_check_mark: Sent ${filename} (${report.items.length} items) to your DM.`);
      return;
    }
  }
}
