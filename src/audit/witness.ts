import { desc } from 'drizzle-orm';
import { auditLog } from '../db/schema/index.js';
import type { Executor } from '../db/types.js';
import { StewardError } from '../domain/errors.js';
import { rowHash } from './hash.js';
import { installedAuditKeyring, sameMac, type AuditKeyring } from './mac.js';
import { fetchRows, quoted } from './verify-rows.js';

/**
 * The witness: the chain's head (seq, hash, MAC key id) posted outside the database, to
 * the security channel, on a schedule and after events that matter (a campaign close).
 * Rows are append-only, so a head once witnessed must stay in the chain with the same
 * hash forever; `steward audit verify --witness` reads the posts back and checks it.
 * This module knows nothing of Slack: it posts to and reads from a `WitnessBoard`.
 */

/** Slack message metadata `event_type` of a witness post. */
export const WITNESS_EVENT_TYPE = 'steward_audit_head';

export interface WitnessedHead {
  seq: number;
  hash: string;
  /** The MAC key that signed the row, null for a row written without a key. */
  keyId: string | null;
}

/** A witness post read back: the head it recorded and when it was posted (the message ts). */
export interface WitnessRecord extends WitnessedHead {
  ts: string;
  /** True when the message was changed after it was posted: Steward never edits its posts. */
  edited: boolean;
}

export interface WitnessReading {
  /** Witness posts by Steward's own bot user, in no particular order. */
  heads: WitnessRecord[];
  /** Messages of the witness event type posted by anyone else (or unreadable), left out. */
  ignored: number;
}

/** Where heads are posted and read back; the Slack security channel in production. */
export interface WitnessBoard {
  /** Where the posts go, for messages (e.g. the channel id). */
  readonly name: string;
  post(head: WitnessedHead, text: string): Promise<{ ts: string }>;
  /** A plain alert (no witness metadata): the head could not be witnessed. */
  alert(text: string): Promise<void>;
  read(): Promise<WitnessReading>;
}

export interface PostedHead extends WitnessedHead {
  ts: string;
}

export interface AuditWitness {
  /**
   * Posts the current head, after checking it on its own (its hash, its MAC, its link to
   * the row before): Steward never vouches for a row it cannot verify, and alerts the
   * board instead (then throws `audit_head_invalid`). Null when the log is empty. For the
   * scheduled job and for callers that want a witness at a point that matters, such as
   * a campaign close.
   */
  postHead(): Promise<PostedHead | null>;
}

export function createAuditWitness(deps: { db: Executor; board: WitnessBoard; keyring?: AuditKeyring }): AuditWitness {
  return {
    async postHead() {
      let head: WitnessedHead | null;
      try {
        head = await verifiedHead(deps.db, deps.keyring ?? installedAuditKeyring());
      } catch (err) {
        if (err instanceof StewardError && err.code === 'audit_head_invalid')
          await deps.board.alert(`:warning: ${err.message}`);
        throw err;
      }
      if (!head) return null;
      const { ts } = await deps.board.post(head, witnessText(head));
      return { ...head, ts };
    },
  };
}

/**
 * The newest row, checked on its own: its content against its hash, its MAC against its
 * key, its link to the row before, and a MAC wherever the row before has one.
 */
async function verifiedHead(db: Executor, keyring: AuditKeyring): Promise<WitnessedHead | null> {
  const [top] = await db.select({ seq: auditLog.seq }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  if (!top) return null;
  const rows = await fetchRows(db, top.seq - 2, 2, top.seq);
  const head = rows.at(-1);
  const prev = rows.length === 2 ? rows[0] : undefined;
  if (!head || head.seq !== top.seq) throw headError(top.seq, 'it could not be read back');
  if (head.seq > 1 && prev?.seq !== head.seq - 1) throw headError(head.seq, `row ${head.seq - 1} before it is missing`);
  if (!head.exactTime || rowHash(head) !== head.hash) throw headError(head.seq, 'its content does not match its hash');
  if (prev && head.prevHash !== prev.hash) throw headError(head.seq, `it does not chain to row ${head.seq - 1}`);
  if (head.macKeyId === null && prev?.macKeyId) throw headError(head.seq, 'it has no MAC but the row before has one');
  if (head.macKeyId !== null && keyring.signing !== null) {
    const expected = keyring.mac(head.macKeyId, head.hash);
    if (expected === undefined) throw headError(head.seq, `it is signed with key ${quoted(head.macKeyId)}, not held`);
    if (head.mac === null || !sameMac(expected, head.mac)) throw headError(head.seq, 'its MAC does not match');
  }
  return { seq: head.seq, hash: head.hash, keyId: head.macKeyId };
}

function headError(seq: number, why: string): StewardError {
  return new StewardError(
    'audit_head_invalid',
    `The newest audit row ${seq} fails its own check (${why}); no witness was posted. Run "steward audit verify".`,
    { retry: false },
  );
}

/** The message people see; the metadata carries the same head for verify to read. */
export function witnessText(head: WitnessedHead): string {
  const key = head.keyId === null ? 'not keyed' : `MAC key "${head.keyId}"`;
  return (
    `Audit log head: row ${head.seq}, SHA-256 ${head.hash} (${key}). ` +
    'Steward posts this as a witness outside its database: `steward audit verify --witness` proves that no row up to here was later removed or rewritten. Please keep this message.'
  );
}
