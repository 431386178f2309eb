import { sql } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import type { Tx } from '../db/types.js';
import type { ResolutionReason } from './resolution.js';
import type { Finding } from './types.js';

// Rows travel as one JSON parameter per statement; chunks keep each one a few MB at most.
const CHUNK = 2000;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

const json = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`;

/**
 * Inserts new findings of one organisation (its pass found them; a concurrent run's insert wins
 * the fingerprint); returns their ids.
 */
export async function insertFindings(
  tx: Tx,
  org: string,
  findings: Finding[],
  now: Date,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const part of chunks(findings)) {
    const rows = await queryRows(
      tx,
      sql`insert into findings (org_id, fingerprint, kind, subject_type, subject_id, status, evidence, owner, first_detected_at, last_detected_at)
          select ${org}, r.fingerprint, r.kind, r.subject_type, r.subject_id, 'open', r.evidence, r.owner, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
          from jsonb_to_recordset(${json(part.map((f) => ({ fingerprint: f.fingerprint, kind: f.kind, subject_type: f.subject.type, subject_id: f.subject.id, evidence: f.evidence, owner: f.owner })))})
            as r(fingerprint text, kind text, subject_type text, subject_id text, evidence jsonb, owner jsonb)
          -- Issue 17: nothing is concluded about an organisation whose Admin key cannot read it (its data is stale).
          where not exists (select 1 from organizations o where o.id = ${org} and o.key_state <> 'ok')
          on conflict (org_id, fingerprint) do nothing
          returning id::text as id, fingerprint`,
    );
    for (const r of rows) ids.set(String(r.fingerprint), String(r.id));
  }
  return ids;
}

/**
 * Refreshes the evidence of one organisation's findings that still hold. `reopen` also turns resolved
 * ones back to open as a new episode (first detected now).
 */
export async function refreshFindings(
  tx: Tx,
  org: string,
  findings: Finding[],
  now: Date,
  reopen: boolean,
): Promise<void> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const reopening = reopen
    ? sql`, status = 'open', resolved_at = null, resolution = null, first_detected_at = ${at}`
    : sql``;
  for (const part of chunks(findings)) {
    await tx.execute(
      sql`update findings f set evidence = r.evidence, owner = r.owner, last_detected_at = ${at} ${reopening}
          from jsonb_to_recordset(${json(part.map((f) => ({ fingerprint: f.fingerprint, evidence: f.evidence, owner: f.owner })))})
            as r(fingerprint text, evidence jsonb, owner jsonb)
          where f.org_id = ${org} and f.fingerprint = r.fingerprint`,
    );
  }
}

export async function resolveFindings(
  tx: Tx,
  resolved: Array<{ id: string; reason: ResolutionReason }>,
  now: Date,
): Promise<void> {
  for (const part of chunks(resolved)) {
    await tx.execute(
      sql`update findings f set status = 'resolved', resolved_at = ${now.toISOString()}::timestamptz, resolution = r.reason
          from jsonb_to_recordset(${json(part)}) as r(id uuid, reason text)
          where f.id = r.id and f.status = 'open'`,
    );
  }
}
