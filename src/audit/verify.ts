import type { Executor } from '../db/types.js';
import type { ChainProblem } from './chain-problem.js';
import { GENESIS_HASH, rowHash } from './hash.js';
import { installedAuditKeyring, type AuditKeyring } from './mac.js';
import { MacCheck, type MacSummary } from './verify-mac.js';
import { fetchRows, short, type StoredRow } from './verify-rows.js';

export type { ChainProblem, ChainProblemKind } from './chain-problem.js';
export type { KeyRange, MacSummary } from './verify-mac.js';

/** The newest row: record it outside the database to detect later removal of rows. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export type VerifyResult =
  | { ok: true; rows: number; head: ChainHead | null; mac: MacSummary }
  /** `rows` counts the rows proved intact before the problem. */
  | { ok: false; rows: number; head: ChainHead | null; mac: MacSummary; problem: ChainProblem };

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
  /** The keys to check MACs with; the process's keyring (STEWARD_AUDIT_KEY) by default. */
  keyring?: AuditKeyring;
}

type AuditRow = StoredRow;

export const DEFAULT_VERIFY_BATCH = 5000;

/**
 * Walks the chain in seq order with keyset pagination, recomputing every hash. Holds at
 * most two batches (the one being checked and the next one being fetched), so a chain
 * of any length verifies in bounded memory. Stops at the first problem. Checks every
 * keyed row's MAC when the keyring holds keys (see verify-mac.ts).
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
  const macs = new MacCheck(opts.keyring ?? installedAuditKeyring());

  // The first batch has no lower bound: a forged row with seq 0 or below must be seen too.
  let pending: Promise<AuditRow[]> | null = fetchRows(db, null, batchSize, opts.toSeq);
  while (pending) {
    const batch: AuditRow[] = await pending;
    const last = batch.at(-1);
    // Fetch the next batch while this one is hashed.
    pending = last && batch.length === batchSize ? fetchRows(db, last.seq, batchSize, opts.toSeq) : null;
    for (const row of batch) {
      let problem = checkRow(prev, row, macs);
      if (problem === 'unlinked') problem = await locateBrokenLink(db, prev, row);
      while (!problem && anchors[nextAnchor]?.seq === row.seq) problem = checkAnchor(anchors[nextAnchor++]!, row);
      if (problem) {
        // Nobody awaits the prefetch any more; keep a late failure from crashing the process.
        pending?.catch(() => {});
        return { ok: false, rows, head: head(), mac: macs.summary(), problem };
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
      mac: macs.summary(),
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
  return { ok: true, rows, head: head(), mac: macs.summary() };
}

/**
 * Checks one row against its predecessor; synchronous because it runs for every row.
 * `unlinked`: the row is sound but does not chain to `prev`, which takes a look ahead.
 */
function checkRow(prev: AuditRow | null, row: AuditRow, macs: MacCheck): ChainProblem | 'unlinked' | null {
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
  const forged = macs.check(row);
  if (forged) return forged;
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
