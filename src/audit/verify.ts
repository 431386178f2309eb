import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import type { Executor } from '../db/types.js';
import { GENESIS_HASH, rowHash, type ChainedFields } from './hash.js';

/**
 * What can be wrong with the chain, located at one `seq`:
 * - `altered`: the row's stored hash does not match its content (edited in place).
 * - `missing`: a gap in the dense `seq` (a row was deleted), or the chain does not start at 1.
 * - `replaced`: the row is self-consistent but the next row was chained to a different
 *   row at this position: it was rewritten with a recomputed hash, or deleted and a
 *   forged row inserted in its place.
 * - `inserted`: the row chains to neither neighbour (a forged row slipped into the
 *   chain), or precedes the genesis row.
 * - `broken_link`: the row does not chain to its predecessor and nothing after it says
 *   which of the two is genuine (typically at the newest row).
 * - `truncated`: the chain ends before an anchored head: the newest rows were removed.
 * - `rewritten`: the row at an anchored position has a different hash than the anchor
 *   recorded: the chain up to there was rebuilt with recomputed hashes.
 */
export type ChainProblemKind =
  'altered' | 'missing' | 'replaced' | 'inserted' | 'broken_link' | 'truncated' | 'rewritten';

export interface ChainProblem {
  seq: number;
  kind: ChainProblemKind;
  message: string;
}

/** The newest row: record it outside the database to detect later removal of rows. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export type VerifyResult =
  | { ok: true; rows: number; head: ChainHead | null }
  /** `rows` counts the rows proved intact before the problem. */
  | { ok: false; rows: number; head: ChainHead | null; problem: ChainProblem };

export interface VerifyOptions {
  /** Rows read per query; memory is O(batchSize). Default 5000. */
  batchSize?: number;
  /**
   * Heads recorded earlier (by a previous verify, an export header, a report). Each must
   * still be in the chain with the same hash; this is what detects removal of the newest
   * rows, which a hash chain alone cannot.
   */
  anchors?: readonly ChainHead[];
  /** Verify only rows up to this seq (an export's snapshot). */
  toSeq?: number;
  /** Called after each batch with the rows verified so far. */
  onProgress?: (rows: number) => void;
}

type AuditRow = ChainedFields & {
  hash: string;
  /**
   * False when the stored time has a sub-millisecond part (which no append writes and
   * the hash, over millisecond ISO time, cannot see) or is outside what a Date holds.
   */
  exactTime: boolean;
};

export const DEFAULT_VERIFY_BATCH = 5000;

/**
 * Walks the chain in seq order with keyset pagination, recomputing every hash. Holds at
 * most two batches (the one being checked and the next one being fetched), so a chain
 * of any length verifies in bounded memory. Stops at the first problem.
 */
export async function verifyAuditChain(db: Executor, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const batchSize = opts.batchSize ?? DEFAULT_VERIFY_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  const anchors = [...(opts.anchors ?? [])]
    .filter((a) => opts.toSeq === undefined || a.seq <= opts.toSeq)
    .sort((a, b) => a.seq - b.seq);
  let nextAnchor = 0;
  let prev: AuditRow | null = null;
  let rows = 0;
  const head = (): ChainHead | null => (prev ? { seq: prev.seq, hash: prev.hash } : null);

  // The first batch has no lower bound: a forged row with seq 0 or below must be seen too.
  let pending: Promise<AuditRow[]> | null = fetchRows(db, null, batchSize, opts.toSeq);
  while (pending) {
    const batch: AuditRow[] = await pending;
    const last = batch.at(-1);
    // Fetch the next batch while this one is hashed.
    pending = last && batch.length === batchSize ? fetchRows(db, last.seq, batchSize, opts.toSeq) : null;
    for (const row of batch) {
      let problem = checkRow(prev, row);
      if (problem === 'unlinked') problem = await locateBrokenLink(db, prev, row);
      while (!problem && anchors[nextAnchor]?.seq === row.seq) problem = checkAnchor(anchors[nextAnchor++]!, row);
      if (problem) {
        // Nobody awaits the prefetch any more; keep a late failure from crashing the process.
        pending?.catch(() => {});
        return { ok: false, rows, head: head(), problem };
      }
      prev = row;
      rows++;
    }
    opts.onProgress?.(rows);
  }

  const unmet = anchors[nextAnchor];
  if (unmet) {
    const from = (prev?.seq ?? 0) + 1;
    return {
      ok: false,
      rows,
      head: head(),
      problem: {
        seq: from,
        kind: 'truncated',
        message:
          from === unmet.seq
            ? `Row ${from} is missing: the chain ends at ${from - 1} but an anchor recorded row ${unmet.seq}. The newest row was removed.`
            : `Rows ${from} to ${unmet.seq} are missing: the chain ends at ${from - 1} but an anchor recorded row ${unmet.seq}. The newest rows were removed.`,
      },
    };
  }
  return { ok: true, rows, head: head() };
}

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
  prev_hash: string;
  hash: string;
}

/**
 * Raw SQL rather than the query builder: jsonb as text for one JSON.parse per value
 * on either driver, and the time to the microsecond so a sub-millisecond edit is still
 * visible. Verify reads every row of the log, so this path is kept lean.
 */
async function fetchRows(
  db: Executor,
  afterSeq: number | null,
  limit: number,
  toSeq: number | undefined,
): Promise<AuditRow[]> {
  const where: SQL[] = [];
  if (afterSeq !== null) where.push(sql`seq > ${afterSeq}`);
  if (toSeq !== undefined) where.push(sql`seq <= ${toSeq}`);
  const rows = await queryRows<RawRow>(
    db,
    sql`select seq, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as at_text, actor_type, actor_slack_id, actor_anthropic_id, actor_label,
               action, subject_type, subject_id, review_item_id, outcome, evidence::text as evidence, details::text as details,
               policy_version, prev_hash, hash
        from audit_log ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``}
        order by seq limit ${limit}`,
  );
  return rows.map(toRow);
}

// Microseconds as text on every PostgreSQL version (extract(epoch) is a float before 14).
const AT_TEXT = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3})(\d{3})$/;

function toRow(r: RawRow): AuditRow {
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
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * Checks one row against its predecessor; synchronous because it runs for every row.
 * `unlinked`: the row is sound but does not chain to `prev`, which takes a look ahead.
 */
function checkRow(prev: AuditRow | null, row: AuditRow): ChainProblem | 'unlinked' | null {
  const expectedSeq = (prev?.seq ?? 0) + 1;
  if (row.seq < expectedSeq) {
    // Only possible before the first row: seq is the primary key and rows come in order.
    return { seq: row.seq, kind: 'inserted', message: `Row ${row.seq} precedes the genesis row 1: it was inserted.` };
  }
  if (row.seq > expectedSeq) {
    const gap = row.seq - expectedSeq;
    return {
      seq: expectedSeq,
      kind: 'missing',
      message:
        gap === 1
          ? `Row ${expectedSeq} is missing: the chain jumps from ${expectedSeq - 1} to ${row.seq}. It was deleted.`
          : `Rows ${expectedSeq} to ${row.seq - 1} are missing: the chain jumps from ${expectedSeq - 1} to ${row.seq}. They were deleted.`,
    };
  }
  if (!row.exactTime || rowHash(row) !== row.hash) {
    return {
      seq: row.seq,
      kind: 'altered',
      message: `Row ${row.seq} was altered: its content no longer matches its hash ${short(row.hash)}.`,
    };
  }
  const expectedPrev = prev?.hash ?? GENESIS_HASH;
  return row.prevHash === expectedPrev ? null : 'unlinked';
}

/**
 * `row` is self-consistent but does not chain to `prev` (also self-consistent and
 * chained to its own predecessor). One of the two is not the original. The row after
 * `row` decides: if it chains to `row`, `row` is genuine and `prev` was replaced; if it
 * does not, `row` chains to neither neighbour and was inserted.
 */
async function locateBrokenLink(db: Executor, prev: AuditRow | null, row: AuditRow): Promise<ChainProblem> {
  const [next] = await fetchRows(db, row.seq, 1, undefined);
  const nextIsSound = next !== undefined && next.seq === row.seq + 1 && next.exactTime && rowHash(next) === next.hash;
  if (prev && nextIsSound && next.prevHash === row.hash) {
    return {
      seq: prev.seq,
      kind: 'replaced',
      message: `Row ${prev.seq} was replaced: its hash is self-consistent, but row ${row.seq} was chained to a different row ${prev.seq} (expected hash ${short(row.prevHash)}, found ${short(prev.hash)}). It was rewritten with a recomputed hash, or deleted and a forged row inserted; rows before it may have been rebuilt too (an older anchor narrows it down).`,
    };
  }
  if (nextIsSound && next.prevHash !== row.hash) {
    return {
      seq: row.seq,
      kind: 'inserted',
      message: `Row ${row.seq} was inserted: it chains to neither row ${row.seq - 1} nor row ${row.seq + 1}.`,
    };
  }
  return {
    seq: row.seq,
    kind: 'broken_link',
    message: prev
      ? `Row ${row.seq} does not chain to row ${prev.seq} (its prev_hash ${short(row.prevHash)} is not ${short(prev.hash)}): one of the two was inserted or rewritten.`
      : `Row ${row.seq} does not start from the genesis hash: it was inserted or rewritten.`,
  };
}

function checkAnchor(anchor: ChainHead, row: AuditRow): ChainProblem | null {
  if (anchor.hash === row.hash) return null;
  return {
    seq: row.seq,
    kind: 'rewritten',
    message: `Row ${row.seq} has hash ${short(row.hash)} but the anchor recorded ${short(anchor.hash)}: the chain up to row ${row.seq} was rebuilt with recomputed hashes.`,
  };
}

function short(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}

/** Parses `<seq>:<hash>` as printed by `steward audit verify`. */
export function parseChainHead(text: string): ChainHead | null {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  if (!m) return null;
  const seq = Number(m[1]);
  if (!Number.isSafeInteger(seq) || seq < 1) return null;
  return { seq, hash: m[2]! };
}

export function formatChainHead(head: ChainHead): string {
  return `${head.seq}:${head.hash}`;
}
