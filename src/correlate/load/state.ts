import { sql } from 'drizzle-orm';
import type { Policy } from '../../config/policy.js';
import type { FindingKind, SubjectType } from '../../domain/findings.js';
import { subjectOf } from '../../domain/findings.js';
import { queryRows } from '../../db/client.js';
import type { Executor } from '../../db/types.js';
import type { Certification } from '../suppression.js';
import { type Claim, type Exemption, type OpenFindingRecord, type OwnerOverride } from '../types.js';
import { subjectKey } from '../../domain/findings.js';
import { ms, valuesIn, toDate, toText } from './sql.js';
import { orgMatches, orgSpecificity, type OrgIdentity } from '../../domain/org-match.js';

/** The open findings of one organisation ('' = those not identified yet). */
export async function loadOpenFindings(ex: Executor, org: string): Promise<OpenFindingRecord[]> {
  const rows = await queryRows(
    ex,
    // The evidence column is not read: it is the widest, and nothing here needs it.
    sql`select id::text as id, fingerprint, kind, subject_type, subject_id, ${ms(sql`first_detected_at`)} as first_detected_at
        from findings where org_id = ${org} and status = 'open'`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    fingerprint: String(r.fingerprint),
    kind: r.kind as FindingKind,
    subject: { type: r.subject_type as SubjectType, id: String(r.subject_id) },
    firstDetectedAt: toDate(r.first_detected_at)!,
  }));
}

/**
 * Owner overrides from the `owner_overrides` table and from the policy file, as they apply in
 * organisation `org` (issue 17; null: across organisations, every entry). The policy file is
 * read directly rather than copied into the table, so removing an entry from the file takes
 * effect on the next run; on a conflict the file wins, and an entry about this one
 * organisation wins over one about all of them.
 */
export async function loadOverrides(
  ex: Executor,
  policy: Policy,
  org: OrgIdentity | null,
): Promise<Map<string, OwnerOverride>> {
  const rows = await queryRows(
    ex,
    sql`select org_id, subject_type, subject_id, owner_email, owner_slack_id, source from owner_overrides
        ${org === null ? sql`` : sql`where org_id in ('', ${org.id})`}`,
  );
  const entries: Array<{ org: string; o: OwnerOverride; file: number }> = [];
  for (const r of rows) {
    const o: OwnerOverride = {
      subject: { type: r.subject_type as SubjectType, id: String(r.subject_id) },
      email: toText(r.owner_email),
      slackId: toText(r.owner_slack_id),
      source: String(r.source),
    };
    entries.push({ org: String(r.org_id), o, file: 0 });
  }
  for (const p of policy.owners) {
    if (!orgMatches(p.org, org)) continue;
    const subject = subjectOf(p);
    const o = { subject, email: p.email ?? null, slackId: p.slack ?? null, source: 'policy' };
    entries.push({ org: p.org ?? '', o, file: 1 });
  }
  // Later entries win: the table's, then the file's; within each, general before specific.
  entries.sort((a, b) => a.file - b.file || orgSpecificity(a.org) - orgSpecificity(b.org));
  const out = new Map<string, OwnerOverride>();
  for (const { o } of entries) out.set(subjectKey(o.subject), o);
  return out;
}

/** The latest claim per subject, in organisation `org` (null: across organisations). */
export async function loadClaims(ex: Executor, org: string | null): Promise<Map<string, Claim>> {
  const rows = await queryRows(
    ex,
    sql`select distinct on (subject_type, subject_id) subject_type, subject_id, claimed_by_slack_id, claimed_by_email,
               claimed_by_user_id, ${ms(sql`claimed_at`)} as claimed_at
        from claims ${org === null ? sql`` : sql`where org_id = ${org}`}
        order by subject_type, subject_id, claimed_at desc`,
  );
  const out = new Map<string, Claim>();
  for (const r of rows) {
    const c: Claim = {
      subject: { type: r.subject_type as SubjectType, id: String(r.subject_id) },
      slackId: String(r.claimed_by_slack_id),
      email: toText(r.claimed_by_email),
      userId: toText(r.claimed_by_user_id),
      claimedAt: toDate(r.claimed_at)!,
    };
    out.set(subjectKey(c.subject), c);
  }
  return out;
}

/**
 * Exemptions not yet expired or revoked that apply in organisation `org` (null: across
 * organisations), from the table and (read directly) the policy file.
 */
export async function loadExemptions(
  ex: Executor,
  policy: Policy,
  now: Date,
  org: OrgIdentity | null,
): Promise<Exemption[]> {
  const rows = await queryRows(
    ex,
    sql`select subject_type, subject_id, finding_kind, reason, ${ms(sql`expires_at`)} as expires_at, source
        from exemptions where revoked_at is null and expires_at > ${now.toISOString()}::timestamptz
        ${org === null ? sql`` : sql`and org_id in ('', ${org.id})`}`,
  );
  const out: Exemption[] = rows.map((r) => ({
    subject: { type: r.subject_type as SubjectType, id: String(r.subject_id) },
    kind: (toText(r.finding_kind) as FindingKind | null) ?? null,
    reason: String(r.reason),
    expiresAt: toDate(r.expires_at)!,
    source: String(r.source),
  }));
  for (const e of policy.exemptions) {
    if (e.expires <= now || !orgMatches(e.org, org)) continue;
    out.push({
      subject: subjectOf(e),
      kind: e.finding ?? null,
      reason: e.reason,
      expiresAt: e.expires,
      source: 'policy',
    });
  }
  return out;
}

/**
 * Certifications still valid, the longest-lasting per fingerprint. A Keep is about access in
 * one organisation (issue 17): a pass for organisation X reads the Keeps decided on X's review
 * items (and any with no review item); `org` null or '' reads them all.
 */
export async function loadCertifications(
  ex: Executor,
  now: Date,
  org: string | null = null,
): Promise<Map<string, Certification>> {
  const inOrg =
    org === null || org === ''
      ? sql`true`
      : sql`(c.review_item_id is null or exists (select 1 from review_items r where r.id = c.review_item_id and r.org_id = ${org}))`;
  const rows = await queryRows(
    ex,
    sql`select distinct on (c.fingerprint) c.fingerprint, ${ms(sql`c.valid_until`)} as valid_until, c.reason
        from certifications c where c.valid_until > ${now.toISOString()}::timestamptz and ${inOrg}
        order by c.fingerprint, c.valid_until desc`,
  );
  return new Map(
    rows.map((r) => [String(r.fingerprint), { validUntil: toDate(r.valid_until)!, reason: String(r.reason) }]),
  );
}

/** Fingerprints that already have a review item waiting or open, in one organisation. */
export async function loadOpenReviewFingerprints(
  ex: Executor,
  org: string,
  fingerprints: string[],
): Promise<Set<string>> {
  if (fingerprints.length === 0) return new Set();
  const rows = await queryRows(
    ex,
    sql`select distinct fingerprint from review_items where org_id = ${org} and status in ('pending', 'open') and fingerprint in ${valuesIn(fingerprints)}`,
  );
  return new Set(rows.map((r) => String(r.fingerprint)));
}

/** One organisation's finding rows for these fingerprints, whatever their status. */
export async function loadFindingRows(
  ex: Executor,
  org: string,
  fingerprints: string[],
): Promise<Map<string, { id: string; status: string; firstDetectedAt: Date }>> {
  if (fingerprints.length === 0) return new Map();
  const rows = await queryRows(
    ex,
    sql`select id::text as id, fingerprint, status, ${ms(sql`first_detected_at`)} as first_detected_at
        from findings where org_id = ${org} and fingerprint in ${valuesIn(fingerprints)}`,
  );
  return new Map(
    rows.map((r) => [
      String(r.fingerprint),
      { id: String(r.id), status: String(r.status), firstDetectedAt: toDate(r.first_detected_at)! },
    ]),
  );
}
