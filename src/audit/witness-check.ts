import { inArray, sql } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import { auditLog } from '../db/schema/index.js';
import type { Executor } from '../db/types.js';
import { quoted, short } from './verify-rows.js';
import type { WitnessRecord } from './witness.js';

/**
 * What a witness post proves wrong, each located at the witnessed row:
 * - `truncated`: the chain now ends before the witnessed row: the newest rows were removed.
 * - `removed`: the witnessed row is gone from inside the chain.
 * - `rewritten`: the row at the witnessed seq has another hash: it (and the chain up to it) was rebuilt.
 * - `rekeyed`: same hash, but not the MAC key the witness saw (the MAC stripped or replaced).
 * - `edited`: the witness message itself was changed after posting; Steward never edits them.
 */
export type WitnessViolationKind = 'truncated' | 'removed' | 'rewritten' | 'rekeyed' | 'edited';

export interface WitnessViolation {
  kind: WitnessViolationKind;
  seq: number;
  /** The witness message's ts (Slack's message id, seconds since the epoch). */
  ts: string;
  message: string;
}

export interface WitnessCheck {
  /** Witness posts checked. */
  witnessed: number;
  /** The newest witnessed head, null when there is none. */
  newest: WitnessRecord | null;
  /** The chain's head now (0 for an empty log). */
  headSeq: number;
  /** Every violation, oldest witnessed seq first. */
  violations: WitnessViolation[];
}

const LOOKUP_CHUNK = 1000;

/**
 * Checks every witnessed (seq, hash, key id) against the database: each must still be
 * there, unchanged, and the chain's head must be at or after the newest witnessed seq.
 * Point lookups by primary key, so the cost grows with the number of witness posts, not
 * with the log. Independent of the chain walk, which checks what lies between.
 */
export async function checkWitnesses(db: Executor, witnesses: readonly WitnessRecord[]): Promise<WitnessCheck> {
  const sorted = [...witnesses].sort((a, b) => a.seq - b.seq || Number(a.ts) - Number(b.ts));
  const [top] = await queryRows<{ seq: number | string | null }>(db, sql`select max(seq) as seq from audit_log`);
  const headSeq = top?.seq == null ? 0 : Number(top.seq);
  const stored = new Map<number, { hash: string; macKeyId: string | null }>();
  const seqs = [...new Set(sorted.map((w) => w.seq))].filter((s) => s <= headSeq);
  for (let i = 0; i < seqs.length; i += LOOKUP_CHUNK) {
    const rows = await db
      .select({ seq: auditLog.seq, hash: auditLog.hash, macKeyId: auditLog.macKeyId })
      .from(auditLog)
      .where(inArray(auditLog.seq, seqs.slice(i, i + LOOKUP_CHUNK)));
    for (const r of rows) stored.set(r.seq, { hash: r.hash, macKeyId: r.macKeyId });
  }
  const violations: WitnessViolation[] = [];
  for (const w of sorted) {
    const v = (kind: WitnessViolationKind, message: string) =>
      violations.push({ kind, seq: w.seq, ts: w.ts, message: `${message} (witness posted ${postedAt(w.ts)})` });
    if (w.edited)
      v(
        'edited',
        `The witness of row ${w.seq} was edited after it was posted; Steward never edits them: whoever holds its bot token changed it.`,
      );
    const row = stored.get(w.seq);
    if (w.seq > headSeq) {
      v('truncated', `Row ${w.seq} was witnessed but the chain now ends at ${headSeq}: the newest rows were removed.`);
    } else if (!row) {
      v('removed', `Row ${w.seq} was witnessed but is gone from the chain: it was deleted.`);
    } else if (row.hash !== w.hash) {
      v(
        'rewritten',
        `Row ${w.seq} was witnessed with hash ${short(w.hash)} but now has ${short(row.hash)}: the chain up to it was rewritten.`,
      );
    } else if (row.macKeyId !== w.keyId) {
      const was = w.keyId === null ? 'without a MAC' : `signed with key ${quoted(w.keyId)}`;
      const now = row.macKeyId === null ? 'has no MAC' : `names key ${quoted(row.macKeyId)}`;
      v('rekeyed', `Row ${w.seq} was witnessed ${was} but now ${now}: its MAC was stripped or replaced.`);
    }
  }
  return { witnessed: sorted.length, newest: newestOf(sorted), headSeq, violations };
}

function newestOf(sorted: readonly WitnessRecord[]): WitnessRecord | null {
  return sorted.reduce<WitnessRecord | null>((a, w) => (a === null || w.seq > a.seq ? w : a), null);
}

/** A Slack message ts (`1712345678.000200`) as an ISO time. */
export function postedAt(ts: string): string {
  const seconds = Number(ts);
  return Number.isFinite(seconds) ? new Date(Math.floor(seconds * 1000)).toISOString() : ts;
}

/** What verify --witness prints: a summary line (out) and one line per violation (err). */
export function describeWitnessCheck(
  check: WitnessCheck,
  ignored: number,
  where: string,
): { out: string[]; err: string[] } {
  const others =
    ignored === 0
      ? ''
      : ` ${ignored} message${ignored === 1 ? '' : 's'} of the same kind not posted by Steward's bot ignored.`;
  if (check.newest === null) {
    return {
      out: [
        `Witness: no audit head posted by Steward in ${where} yet, so nothing to check (the audit_witness job posts one daily).${others}`,
      ],
      err: [],
    };
  }
  const summary = `Witness: ${check.witnessed} audit head${check.witnessed === 1 ? '' : 's'} posted by Steward in ${where}, the newest row ${check.newest.seq} (${postedAt(check.newest.ts)}); the chain's head is row ${check.headSeq}.${others}`;
  if (check.violations.length === 0)
    return { out: [summary, 'Witness holds: every witnessed row is still in the chain, unchanged.'], err: [] };
  return {
    out: [summary],
    err: check.violations.map((v) => `Witness violation at seq ${v.seq} (${v.kind}): ${v.message}`),
  };
}
