import { sql } from 'drizzle-orm';
import { appendAudit } from '../../audit/append.js';
import { queryRows } from '../../db/client.js';
import { campaignItems, campaigns, reviewItems } from '../../db/schema/index.js';
import { CERTIFICATION, type Evidence } from '../../domain/evidence.js';
import { addDays } from '../timing.js';
import type { CampaignDeps } from './deps.js';
import { accessKeyIn, lastCertifications, openReviews, slackIdsOf } from './open-inputs.js';
import {
  certificationFingerprint,
  describeScope,
  joinableReview,
  PRIVILEGED_ACCESS,
  reviewerFor,
  type CampaignAccess,
  type CampaignScope,
} from './rules.js';

// Serialises campaign numbering and opening across replicas.
const CAMPAIGN_LOCK = 0x5737_c401;
const CHUNK = 500;

export interface StartInput {
  scope: CampaignScope;
  dueDays: number;
  startedBySlackId: string | null;
  via: 'command' | 'schedule' | 'cli';
  /** The cron tick of a scheduled campaign: a second replica's run of the same tick opens nothing. */
  scheduledFor?: Date | null;
  /** Two-level review's approver (a Slack id or `admins`); default: the policy's for the scope. */
  approver?: string | null;
}

export interface OpenedCampaign {
  id: string;
  number: number;
  scope: string;
  dueAt: Date;
  items: number;
  /** Certifications opened for this campaign (to deliver). */
  opened: string[];
  /** Accesses whose open review joined the campaign instead of a second message. */
  joined: number;
  /** Items nobody could be assigned: they go to the security channel. */
  unassigned: number;
}

const WHAT: Record<string, string> = {
  seats: 'seat in the organisation',
  keys: 'active API key',
  admins: 'admin and owner role and workspace admin',
  all: 'seat, API key and admin role',
};

/**
 * Opens a campaign: one item per access in scope, each assigned to its reviewer; an
 * access under open review joins with that review. Slack lookups happen first, then one
 * transaction writes the campaign, its certifications, its items and the audit row.
 * Returns null when a replica already opened this scheduled tick.
 */
export async function openCampaign(deps: CampaignDeps, input: StartInput): Promise<OpenedCampaign | null> {
  const now = deps.now();
  const dueAt = addDays(now, input.dueDays);
  const scope = describeScope(input.scope);
  const accesses = await deps.inventory.accessesIn(input.scope, now);
  const slackIds = await slackIdsOf(deps, accesses);
  const open = await openReviews(deps);
  const kept = await lastCertifications(deps, accesses);
  const policy = deps.policy.policy.certification;
  const workspaceReviewers = new Map(policy.workspace_reviewers.map((w) => [w.workspace, w.reviewers]));
  const approver =
    input.approver !== undefined
      ? input.approver
      : (deps.policy.policy.campaigns.find((c) => c.scope === scope && c.approver)?.approver ?? null);

  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CAMPAIGN_LOCK})`);
    if (input.scheduledFor) {
      const [taken] = await queryRows<{ id: string }>(
        tx,
        sql`select id::text as id from campaigns where scope = ${scope} and scheduled_for = ${input.scheduledFor.toISOString()}::timestamptz`,
      );
      if (taken) return null;
    }
    const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(
      tx,
      sql`select coalesce(max(number), 0)::int as n from campaigns`,
    );
    const number = Number(n) + 1;
    const [campaign] = await tx
      .insert(campaigns)
      .values({
        number,
        scope,
        startedVia: input.via,
        startedBySlackId: input.startedBySlackId,
        scheduledFor: input.scheduledFor ?? null,
        startedAt: now,
        dueAt,
        policyVersion: deps.policy.version,
        approver,
      })
      .returning({ id: campaigns.id });
    const campaignId = campaign!.id;

    // Each access's organisation (issue 17) is named on its item when there are several.
    const [orgCount] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from organizations`);
    const severalOrgs = Number(orgCount?.n ?? 0) > 1;
    const items: Array<typeof campaignItems.$inferInsert> = [];
    const fresh: Array<{ access: CampaignAccess; row: typeof reviewItems.$inferInsert }> = [];
    let unassigned = 0;
    for (const a of accesses) {
      const owner = a.evidence.owner;
      const ownerSlackId = owner.slackId ?? (owner.email ? (slackIds.get(owner.email.toLowerCase()) ?? null) : null);
      const holderSlackId = owner.via === 'holder' ? ownerSlackId : null;
      const privileged = PRIVILEGED_ACCESS.has(a.accessKind);
      const base = {
        campaignId,
        orgId: a.org.id,
        accessKind: a.accessKind,
        subjectType: a.subject.type,
        subjectId: a.subject.id,
        privileged,
      };
      const existing = joinableReview(a, open, holderSlackId);
      if (existing) {
        items.push({ ...base, reviewItemId: existing.id, via: 'joined' });
        continue;
      }
      const reviewer = reviewerFor(a, {
        privilegedReviewers: policy.privileged_reviewers,
        admins: deps.admins,
        workspaceReviewers,
        holderSlackId,
        ownerSlackId,
      });
      if (!reviewer.slackId) unassigned++;
      const evidence: Evidence = {
        ...a.evidence,
        kind: CERTIFICATION,
        rule: ruleOf(scope, number, dueAt, kept.get(accessKeyIn(a))),
        owner: { ...owner, slackId: ownerSlackId },
        campaign: { id: campaignId, number, scope, dueAt: dueAt.toISOString(), holderSlackId },
      };
      if (severalOrgs && a.org.name) evidence.organization = { id: a.org.id, name: a.org.name };
      fresh.push({
        access: a,
        row: {
          orgId: a.org.id,
          findingId: null,
          fingerprint: certificationFingerprint(a),
          kind: CERTIFICATION,
          subjectType: a.subject.type,
          subjectId: a.subject.id,
          status: 'pending',
          route: reviewer.slackId ? 'dm' : 'security_channel',
          assigneeUserId: reviewer.via === 'owner' ? owner.userId : null,
          assigneeEmail: reviewer.via === 'owner' ? owner.email : null,
          assigneeSlackId: reviewer.slackId,
          assignedVia: reviewer.via === 'owner' ? (owner.via ?? 'owner') : reviewer.via,
          dueAt,
          evidenceShown: evidence as unknown as Record<string, unknown>,
        },
      });
    }

    const opened: string[] = [];
    for (let i = 0; i < fresh.length; i += CHUNK) {
      const chunk = fresh.slice(i, i + CHUNK);
      const rows = await tx
        .insert(reviewItems)
        .values(chunk.map((c) => c.row))
        .onConflictDoNothing()
        .returning({ id: reviewItems.id, orgId: reviewItems.orgId, fingerprint: reviewItems.fingerprint });
      // Certification fingerprints are unique per organisation (and a chunk may hold the same one twice).
      const keyOf = (org: string, fingerprint: string) => `${org}|${fingerprint}`;
      const byFingerprint = new Map(rows.map((r) => [keyOf(r.orgId, r.fingerprint), r.id]));
      const insertedIds = new Set(rows.map((r) => r.id));
      // A certification of the same access still open (another campaign, a race): join it.
      const missing = chunk.filter((c) => !byFingerprint.has(keyOf(c.row.orgId!, c.row.fingerprint)));
      if (missing.length > 0) {
        const found = await queryRows<{ id: string; org_id: string; fingerprint: string }>(
          tx,
          sql`select id::text as id, org_id, fingerprint from review_items where status in ('pending', 'open')
              and (org_id, fingerprint) in (${sql.join(
                missing.map((m) => sql`(${m.row.orgId!}, ${m.row.fingerprint})`),
                sql`, `,
              )})`,
        );
        for (const f of found) byFingerprint.set(keyOf(String(f.org_id), f.fingerprint), f.id);
      }
      for (const c of chunk) {
        const id = byFingerprint.get(keyOf(c.row.orgId!, c.row.fingerprint));
        if (!id) continue;
        const joined = !insertedIds.has(id);
        if (!joined) opened.push(id);
        items.push({
          campaignId,
          orgId: c.access.org.id,
          accessKind: c.access.accessKind,
          subjectType: c.access.subject.type,
          subjectId: c.access.subject.id,
          privileged: PRIVILEGED_ACCESS.has(c.access.accessKind),
          reviewItemId: id,
          via: joined ? 'joined' : 'opened',
        });
      }
    }
    for (let i = 0; i < items.length; i += CHUNK) {
      await tx
        .insert(campaignItems)
        .values(items.slice(i, i + CHUNK))
        .onConflictDoNothing();
    }
    const joined = items.length - opened.length;
    const { seq } = await appendAudit(tx, {
      actor: input.startedBySlackId
        ? { type: 'slack_user', slackId: input.startedBySlackId }
        : { type: 'system', job: input.via === 'schedule' ? 'campaign-schedule' : 'campaign' },
      action: 'campaign.opened',
      outcome: 'opened',
      details: {
        campaignId,
        number,
        scope,
        via: input.via,
        dueAt: dueAt.toISOString(),
        scheduledFor: input.scheduledFor?.toISOString() ?? null,
        items: items.length,
        opened: opened.length,
        joined,
        unassigned,
        approver,
      },
      policyVersion: deps.policy.version,
      at: now,
    });
    await tx
      .update(campaigns)
      .set({ auditFromSeq: seq })
      .where(sql`${campaigns.id} = ${campaignId}`);
    return { id: campaignId, number, scope, dueAt, items: items.length, opened, joined, unassigned };
  });
}

function ruleOf(scope: string, number: number, dueAt: Date, kept: { reason: string; until: Date } | undefined): string {
  const what = WHAT[scope] ?? 'seat, API key and admin role in the workspace';
  const before = kept ? ` Last kept until ${kept.until.toISOString().slice(0, 10)}: “${kept.reason}”.` : '';
  return `Certification campaign #${number} (${scope}): every ${what} is reviewed by ${dueAt.toISOString().slice(0, 10)}. Keep it (say why) or revoke it.${before}`;
}
