import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import { readComplianceState, type ComplianceState } from '../db/compliance-state.js';
import { readOrgKeyChecks, type OrgKeyChecks } from '../db/organization-keys.js';
import { findings, reviewItems } from '../db/schema/index.js';
import type { Db } from '../db/types.js';
import type { Policy } from '../config/policy.js';
import { loadSnapshots, type ReviewSnapshot } from './snapshot.js';

export interface CampaignStatus {
  open: number;
  pending: number;
  overdue: number;
  escalated: number;
  kept: number;
  revoked: number;
  acknowledged: number;
  closed: number;
  openFindings: number;
  actions: { pending: number; failed: number; succeeded: number; dryRun: number };
  oldestOpen: Array<{
    id: string;
    kind: string;
    subject: string;
    /** Its organisation's name when there are several (issue 17). */
    org?: string | null;
    assigneeSlackId: string | null;
    deliveredAt: Date | null;
    dueAt: Date;
  }>;
  /**
   * Whether the Compliance API was on at the last sync (issue 13 item 9); null when no sync has
   * checked yet. Absent in statuses built without a database (the sandbox's page fixtures).
   */
  compliance?: ComplianceState | null;
  /** Each Admin key's organisation and whether it can read, as the last sync found it (issue 17). */
  organizationKeys?: OrgKeyChecks | null;
  /** With several organisations: the open reviews, overdue ones and open findings of each (issue 17). */
  byOrganization?: Array<{ id: string; name: string; open: number; overdue: number; openFindings: number }>;
}

export async function campaignStatus(db: Db, now: Date): Promise<CampaignStatus> {
  const [counts] = await queryRows<Record<string, number | string>>(
    db,
    sql`select
          count(*) filter (where status = 'open')::int as open,
          count(*) filter (where status = 'pending')::int as pending,
          count(*) filter (where status = 'open' and due_at <= ${now.toISOString()}::timestamptz)::int as overdue,
          count(*) filter (where status = 'open' and escalated_at is not null)::int as escalated,
          count(*) filter (where decision = 'keep')::int as kept,
          count(*) filter (where decision in ('revoke', 'timeout_revoke'))::int as revoked,
          count(*) filter (where decision = 'acknowledge')::int as acknowledged,
          count(*) filter (where status = 'closed')::int as closed,
          (select count(*) from findings where status = 'open')::int as open_findings,
          (select count(*) from outbox_actions where status in ('pending', 'running'))::int as actions_pending,
          (select count(*) from outbox_actions where status = 'failed')::int as actions_failed,
          (select count(*) from outbox_actions where status = 'succeeded')::int as actions_succeeded,
          (select count(*) from outbox_actions where status = 'dry_run')::int as actions_dry_run
        from review_items`,
  );
  const n = (k: string) => Number(counts?.[k] ?? 0);
  const compliance = await readComplianceState(db);
  const organizationKeys = await readOrgKeyChecks(db);
  const byOrg = await queryRows<{ id: string; name: string; open: number; overdue: number; findings: number }>(
    db,
    sql`select o.id, o.name,
          (select count(*) from review_items r where r.org_id = o.id and r.status = 'open')::int as open,
          (select count(*) from review_items r where r.org_id = o.id and r.status = 'open'
             and r.due_at <= ${now.toISOString()}::timestamptz)::int as overdue,
          (select count(*) from findings f where f.org_id = o.id and f.status = 'open')::int as findings
        from organizations o order by o.name, o.id`,
  );
  const oldest = await db
    .select()
    .from(reviewItems)
    .where(eq(reviewItems.status, 'open'))
    .orderBy(asc(reviewItems.deliveredAt))
    .limit(5);
  return {
    open: n('open'),
    pending: n('pending'),
    overdue: n('overdue'),
    escalated: n('escalated'),
    kept: n('kept'),
    revoked: n('revoked'),
    acknowledged: n('acknowledged'),
    closed: n('closed'),
    openFindings: n('open_findings'),
    actions: {
      pending: n('actions_pending'),
      failed: n('actions_failed'),
      succeeded: n('actions_succeeded'),
      dryRun: n('actions_dry_run'),
    },
    oldestOpen: oldest.map((i) => ({
      id: i.id,
      kind: i.kind,
      subject: String((i.evidenceShown as { subject?: { label?: string } } | null)?.subject?.label ?? i.subjectId),
      org: byOrg.length > 1 ? (byOrg.find((o) => o.id === i.orgId)?.name ?? 'not identified') : null,
      assigneeSlackId: i.assigneeSlackId,
      deliveredAt: i.deliveredAt,
      dueAt: i.dueAt,
    })),
    compliance,
    organizationKeys,
    ...(byOrg.length > 1
      ? {
          byOrganization: byOrg.map((o) => ({
            id: o.id,
            name: o.name,
            open: Number(o.open),
            overdue: Number(o.overdue),
            openFindings: Number(o.findings),
          })),
        }
      : {}),
  };
}

/** The viewer's open reviews, for the App Home tab. */
export async function openReviewsFor(db: Db, slackId: string, policy: Policy, limit = 20): Promise<ReviewSnapshot[]> {
  const rows = await db
    .select({ id: reviewItems.id })
    .from(reviewItems)
    .where(
      and(
        eq(reviewItems.assigneeSlackId, slackId),
        eq(reviewItems.route, 'dm'),
        inArray(reviewItems.status, ['open', 'pending']),
      ),
    )
    // Campaign items first (issue 16): certifications, and reviews a campaign joined.
    .orderBy(
      sql`case when ${reviewItems.kind} = 'certification' or exists (select 1 from campaign_items ci where ci.review_item_id = ${reviewItems.id}) then 0 else 1 end`,
      asc(reviewItems.dueAt),
    )
    .limit(limit);
  return loadSnapshots(
    db,
    rows.map((r) => r.id),
    policy,
  );
}

export interface FindingsPage {
  page: number;
  pages: number;
  total: number;
  rows: Array<{
    id: string;
    /** Its organisation's name when Steward governs several (issue 17: the same id can be in two). */
    org: string | null;
    kind: string;
    subjectType: string;
    subjectId: string;
    label: string;
    owner: string | null;
    rule: string;
    lastActivityAt: string | null;
    firstDetectedAt: Date;
  }>;
}

export const FINDINGS_PAGE_SIZE = 20;

export async function findingsPage(db: Db, page: number): Promise<FindingsPage> {
  const [total] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from findings where status = 'open'`,
  );
  const count = Number(total?.n ?? 0);
  const pages = Math.max(1, Math.ceil(count / FINDINGS_PAGE_SIZE));
  const p = Math.min(Math.max(1, page), pages);
  const rows = await db
    .select()
    .from(findings)
    .where(eq(findings.status, 'open'))
    .orderBy(asc(findings.kind), desc(findings.firstDetectedAt), asc(findings.fingerprint))
    .limit(FINDINGS_PAGE_SIZE)
    .offset((p - 1) * FINDINGS_PAGE_SIZE);
  const orgs = await queryRows<{ id: string; name: string }>(db, sql`select id, name from organizations`);
  const orgName = new Map(orgs.map((o) => [String(o.id), String(o.name)]));
  const several = orgs.length > 1;
  return {
    page: p,
    pages,
    total: count,
    rows: rows.map((f) => {
      const e = f.evidence as {
        subject?: { label?: string };
        owner?: { email?: string | null; unownedReason?: string | null };
        rule?: string;
        lastActivity?: { at?: string } | null;
      };
      return {
        id: f.id,
        org: several ? (orgName.get(f.orgId) ?? 'not identified') : null,
        kind: f.kind,
        subjectType: f.subjectType,
        subjectId: f.subjectId,
        label: e.subject?.label ?? f.subjectId,
        owner: e.owner?.email ?? (e.owner?.unownedReason ? `unowned (${e.owner.unownedReason})` : null),
        rule: e.rule ?? '',
        lastActivityAt: e.lastActivity?.at ?? null,
        firstDetectedAt: f.firstDetectedAt,
      };
    }),
  };
}
