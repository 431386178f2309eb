import { z } from 'zod';
import { defineTool, MAX_ROWS, type AskTool } from './tool.js';

/**
 * What the campaign tool reads, declared here so assist does not import review: the
 * composition root passes review's own campaign summaries in (the same figures
 * `/steward campaign status` shows), so Claude and the admin see one number.
 */
export interface CampaignProgressSource {
  /** Every open campaign (the latest closed one when none is open), or the one named; null when it does not exist. */
  summaries(now: Date, ref?: string): Promise<CampaignProgressView[] | null>;
}

export interface CampaignProgressView {
  id: string;
  number: number;
  scope: string;
  status: string;
  startedAt: Date;
  dueAt: Date;
  closedAt: Date | null;
  progress: {
    total: number;
    decided: number;
    kept: number;
    revoked: number;
    skipped: number;
    escalated: number;
    closed: number;
    open: number;
    overdue: number;
    percent: number;
  };
  topReviewers: Array<{ slackId: string | null; open: number }>;
}

const input = z.strictObject({
  campaign: z
    .string()
    .trim()
    .regex(/^#?\d{1,9}$/, 'a campaign number such as 3')
    .optional(),
});

/** Campaign progress: how far each certification campaign is, and who it waits for. */
export function campaignProgress(source: CampaignProgressSource): AskTool {
  return defineTool({
    name: 'campaign_progress',
    description:
      'Progress of certification campaigns (access reviews of every seat, key or admin role in a scope): ' +
      'scope, due date, items decided, kept, revoked, open and overdue, percent complete, and the reviewers ' +
      'with the most items waiting. Without `campaign`: every open campaign (or the latest closed one).',
    inputSchema: {
      type: 'object',
      properties: { campaign: { type: 'string', description: 'A campaign number, e.g. "3"' } },
      additionalProperties: false,
    },
    input,
    async run(_db, q, now) {
      const found = await source.summaries(now, q.campaign);
      if (found === null) return { result: { error: `no campaign ${q.campaign ?? ''}`.trim() }, rows: [] };
      const campaigns = found.slice(0, MAX_ROWS).map((c) => ({
        campaign: c.number,
        scope: c.scope,
        status: c.status,
        started: c.startedAt.toISOString().slice(0, 10),
        due: c.dueAt.toISOString().slice(0, 10),
        closed_on: c.closedAt?.toISOString().slice(0, 10) ?? null,
        ...c.progress,
        waiting_on: c.topReviewers.map((r) => ({ reviewer: r.slackId ?? 'security channel', open: r.open })),
      }));
      return {
        result: { campaigns },
        rows: found.slice(0, MAX_ROWS).map((c) => ({ kind: 'campaign', id: String(c.number) })),
      };
    },
  });
}
