import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import type { Executor } from '../../db/types.js';
import type { AttestationRecord, DepartureRecord } from '../types.js';
import type { LoadParams } from './params.js';
import { ms, orgIs, toDate, toText, valuesIn } from './sql.js';

/**
 * Lifecycle state (issue 20) for the rules: approval records (of the pass's organisation,
 * issue 17) and departed Slack accounts. Both tables hold one row per access created since
 * Steward's baseline or per person who left, so they are read whole.
 */
export async function loadAttestations(ex: Executor, p: LoadParams): Promise<Map<string, AttestationRecord>> {
  const rows = await queryRows(
    ex,
    sql`select subject_type, subject_id, access_kind, status, ${ms(sql`requested_at`)} as requested_at, purpose,
               business_owner_slack_id, end_date, answered_by_slack_id, ${ms(sql`answered_at`)} as answered_at
        from attestations where ${orgIs('org_id', p.org)}`,
  );
  const out = new Map<string, AttestationRecord>();
  for (const r of rows) {
    const a: AttestationRecord = {
      subjectType: String(r.subject_type),
      subjectId: String(r.subject_id),
      accessKind: String(r.access_kind),
      status: String(r.status) as AttestationRecord['status'],
      requestedAt: toDate(r.requested_at)!,
      purpose: toText(r.purpose),
      businessOwnerSlackId: toText(r.business_owner_slack_id),
      endDate: toText(r.end_date),
      answeredBySlackId: toText(r.answered_by_slack_id),
      answeredAt: toDate(r.answered_at),
    };
    out.set(`${a.subjectType}:${a.subjectId}`, a);
  }
  return out;
}

export async function loadDepartures(ex: Executor): Promise<DepartureRecord[]> {
  const rows = await queryRows(
    ex,
    sql`select slack_user_id, email, how, ${ms(sql`detected_at`)} as detected_at from slack_departures`,
  );
  return rows.map((r) => ({
    slackUserId: String(r.slack_user_id),
    email: String(r.email).toLowerCase(),
    how: String(r.how) as DepartureRecord['how'],
    detectedAt: toDate(r.detected_at)!,
  }));
}

/** Live keys that act as, or were created by, the people with these emails (a leaver's keys). */
export async function loadKeyIdsOfEmails(ex: Executor, p: LoadParams, emails: Set<string>): Promise<string[]> {
  if (emails.size === 0) return [];
  const rows = await queryRows<{ id: string }>(
    ex,
    sql`select k.id from api_keys k join org_users u on u.org_id = k.org_id and (u.id = k.principal_id or u.id = k.created_by_id)
        where ${orgIs('k.org_id', p.org)} and k.removed_at is null and k.status = 'active' and lower(u.email) in ${valuesIn(emails)}`,
  );
  return rows.map((r) => String(r.id));
}
