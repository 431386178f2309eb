import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import type { Db, Executor } from '../../db/types.js';
import { progressOf, type Progress } from './rules.js';

export interface CampaignRow {
  id: string;
  number: number;
  scope: string;
  status: string;
  startedVia: string;
  startedBySlackId: string | null;
  startedAt: Date;
  dueAt: Date;
  closedAt: Date | null;
  closedBySlackId: string | null;
  closeMode: string | null;
  auditFromSeq: number | null;
  auditToSeq: number | null;
}

export interface CampaignSummary extends CampaignRow {
  progress: Progress;
  /** Reviewers with the most items still waiting (null: the security channel). */
  topReviewers: Array<{ slackId: string | null; open: number }>;
}

const COLUMNS = sql`id::text as id, number, scope, status, started_via, started_by_slack_id, started_at, due_at,
  closed_at, closed_by_slack_id, close_mode, audit_from_seq, audit_to_seq`;

function toRow(r: Record<string, unknown>): CampaignRow {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: String(r.id),
    number: Number(r.number),
    scope: String(r.scope),
    status: String(r.status),
    startedVia: String(r.started_via),
    startedBySlackId: (r.started_by_slack_id as string | null) ?? null,
    startedAt: date(r.started_at)!,
    dueAt: date(r.due_at)!,
    closedAt: date(r.closed_at),
    closedBySlackId: (r.closed_by_slack_id as string | null) ?? null,
    closeMode: (r.close_mode as string | null) ?? null,
    auditFromSeq: num(r.audit_from_seq),
    auditToSeq: num(r.audit_to_seq),
  };
}

/** A campaign by its number (`3`, `#3`) or id; undefined when there is none. */
export async function findCampaign(ex: Executor, ref: string): Promise<CampaignRow | undefined> {
  const t = ref.trim().replace(/^#/, '');
  const where = /^\d{1,9}$/.test(t)
    ? sql`number = ${Number(t)}`
    : /^[0-9a-f-]{36}$/i.test(t)
      ? sql`id = ${t}::uuid`
      : null;
  if (!where) return undefined;
  const [row] = await queryRows(ex, sql`select ${COLUMNS} from campaigns where ${where}`);
  return row ? toRow(row) : undefined;
}

/**
 * Progress of one campaign, or of every open one (the latest closed one when none is
 * open): two grouped queries over its items, so it stays fast at any size.
 */
export async function campaignSummaries(db: Db, now: Date, ref?: string): Promise<CampaignSummary[] | null> {
  let rows: CampaignRow[];
  if (ref !== undefined) {
    const one = await findCampaign(db, ref);
    if (!one) return null;
    rows = [one];
  } else {
    rows = (await queryRows(db, sql`select ${COLUMNS} from campaigns where status = 'open' order by number`)).map(
      toRow,
    );
    if (rows.length === 0)
      rows = (await queryRows(db, sql`select ${COLUMNS} from campaigns order by number desc limit 1`)).map(toRow);
  }
  if (rows.length === 0) return [];
  const ids = sql.join(
    rows.map((r) => sql`${r.id}::uuid`),
    sql`, `,
  );
  const groups = await queryRows<{
    campaign_id: string;
    status: string;
    decision: string | null;
    closed_as: string | null;
    n: number;
  }>(
    db,
    sql`select ci.campaign_id::text as campaign_id, r.status, r.decision, ci.closed_as, count(*)::int as n
        from campaign_items ci join review_items r on r.id = ci.review_item_id
        where ci.campaign_id in (${ids})
        group by 1, 2, 3, 4`,
  );
  const reviewers = await queryRows<{ campaign_id: string; slack_id: string | null; n: number }>(
    db,
    sql`select ci.campaign_id::text as campaign_id, r.assignee_slack_id as slack_id, count(*)::int as n
        from campaign_items ci join review_items r on r.id = ci.review_item_id
        where ci.campaign_id in (${ids}) and r.status in ('pending', 'open') and ci.closed_as is null
        group by 1, 2 order by 3 desc, 2`,
  );
  return rows.map((c) => ({
    ...c,
    progress: progressOf(
      groups
        .filter((g) => g.campaign_id === c.id)
        .map((g) => ({ status: g.status, decision: g.decision, closedAs: g.closed_as, n: Number(g.n) })),
      c.dueAt,
      now,
    ),
    topReviewers: reviewers
      .filter((r) => r.campaign_id === c.id)
      .slice(0, 5)
      .map((r) => ({ slackId: r.slack_id, open: Number(r.n) })),
  }));
}

/** The open items of a campaign assigned to one reviewer in a DM (for Remind). */
export async function openItemsOf(ex: Executor, campaignId: string, slackId: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    ex,
    sql`select r.id::text as id from campaign_items ci join review_items r on r.id = ci.review_item_id
        where ci.campaign_id = ${campaignId}::uuid and ci.closed_as is null and r.status = 'open'
          and r.route = 'dm' and r.assignee_slack_id = ${slackId}
        order by r.due_at, r.id`,
  );
  return rows.map((r) => r.id);
}
