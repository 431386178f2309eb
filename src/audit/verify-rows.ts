import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import type { Executor } from '../db/types.js';
import type { ChainedFields } from './hash.js';

/** A stored row as verify reads it. */
export type StoredRow = ChainedFields & {
  hash: string;
  mac: string | null;
  macKeyId: string | null;
  /**
   * False when the stored time has a sub-millisecond part (which no append writes and
   * the hash, over millisecond ISO time, cannot see) or is outside what a Date holds.
   */
  exactTime: boolean;
};

interface RawRow extends Record<string, unknown> {
  seq: number | string | bigint;
  at_text: string | null;
  actor_type: string;
  actor_slack_id: string | null;
  actor_anthropic_id: string | null;
  actor_label: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  review_item_id: string | null;
  outcome: string;
  evidence: string | null;
  details: string | null;
  policy_version: string | null;
  org_id: string | null;
  prev_hash: string;
  hash: string;
  mac: string | null;
  mac_key_id: string | null;
}

/**
 * Raw SQL rather than the query builder: jsonb as text for one JSON.parse per value
 * on either driver, and the time to the microsecond so a sub-millisecond edit is still
 * visible. Verify reads every row of the log, so this path is kept lean.
 */
export async function fetchRows(
  db: Executor,
  afterSeq: number | null,
  limit: number,
  toSeq: number | undefined,
): Promise<StoredRow[]> {
  const where: SQL[] = [];
  if (afterSeq !== null) where.push(sql`seq > ${afterSeq}`);
  if (toSeq !== undefined) where.push(sql`seq <= ${toSeq}`);
  const rows = await queryRows<RawRow>(
    db,
    sql`select seq, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as at_text, actor_type, actor_slack_id, actor_anthropic_id, actor_label,
               action, subject_type, subject_id, review_item_id, outcome, evidence::text as evidence, details::text as details,
               policy_version, org_id, prev_hash, hash, mac, mac_key_id
        from audit_log ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``}
        order by seq limit ${limit}`,
  );
  return rows.map(toRow);
}

// Microseconds as text on every PostgreSQL version (extract(epoch) is a float before 14).
const AT_TEXT = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3})(\d{3})$/;

function toRow(r: RawRow): StoredRow {
  const m = r.at_text === null ? null : AT_TEXT.exec(r.at_text);
  const ms = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!) : Number.NaN;
  const exactTime = m !== null && m[8] === '000' && Number.isFinite(ms);
  return {
    seq: Number(r.seq),
    at: new Date(exactTime ? ms : 0),
    exactTime,
    actorType: r.actor_type,
    actorSlackId: r.actor_slack_id,
    actorAnthropicId: r.actor_anthropic_id,
    actorLabel: r.actor_label,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    reviewItemId: r.review_item_id,
    outcome: r.outcome,
    evidence: r.evidence === null ? null : (JSON.parse(r.evidence) as Record<string, unknown> | null),
    details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown> | null),
    policyVersion: r.policy_version,
    orgId: r.org_id,
    prevHash: r.prev_hash,
    hash: r.hash,
    mac: r.mac,
    macKeyId: r.mac_key_id,
  };
}

/** A stored value quoted for a message, bounded: key ids in the database are not trusted. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

export function short(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}
