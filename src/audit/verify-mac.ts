import type { ChainProblem } from './chain-problem.js';
import { sameMac, type AuditKeyring } from './mac.js';
import { quoted } from './verify-rows.js';

/** What verify learnt about the MACs of the rows it walked. */
export interface MacSummary {
  /** MACs were checked: the verifier held at least one key. */
  checked: boolean;
  /** Rows before the first keyed row: chained, but written before the key existed. */
  unkeyedRows: number;
  /** The first row that carries a MAC; every row after it must carry one too. */
  keyedFrom: number | null;
  keyedRows: number;
  /** When checked: which key signed which rows, in chain order (one range per key). */
  keys: KeyRange[];
}

export interface KeyRange {
  id: string;
  from: number;
  to: number;
}

type MacFields = { seq: number; hash: string; mac: string | null; macKeyId: string | null };

/**
 * Checks each row's MAC, in chain order. Rows with no MAC are accepted only before the
 * first keyed row (the log predates the key); after it, a row without a MAC was written
 * without the key. Without a keyring only that boundary is checked, and the summary
 * says the MACs were not.
 */
export class MacCheck {
  private readonly keyring: AuditKeyring;
  private unkeyedRows = 0;
  private keyedFrom: number | null = null;
  private keyedRows = 0;
  private readonly ranges: KeyRange[] = [];
  private lastAge: number | undefined;

  constructor(keyring: AuditKeyring) {
    this.keyring = keyring;
  }

  check(row: MacFields): ChainProblem | null {
    if (row.mac === null && row.macKeyId === null) {
      if (this.keyedFrom === null) {
        this.unkeyedRows++;
        return null;
      }
      return {
        seq: row.seq,
        kind: 'unkeyed',
        message: `Row ${row.seq} has no MAC, but the rows from ${this.keyedFrom} on are keyed: it was appended by someone without the key (its SHA-256 alone anyone can compute), or by a Steward started without STEWARD_AUDIT_KEY after the key was in use.`,
      };
    }
    this.keyedFrom ??= row.seq;
    this.keyedRows++;
    if (this.keyring.keys.length === 0) return null;
    if (row.mac === null || row.macKeyId === null)
      return this.forged(row, 'it has half of a MAC (a key id without a MAC, or the reverse)');
    const age = this.keyring.age(row.macKeyId);
    if (age === undefined) {
      return {
        seq: row.seq,
        kind: 'unknown_key',
        message: `Row ${row.seq} is signed with key id ${quoted(row.macKeyId)}, which STEWARD_AUDIT_KEY does not hold (it holds ${this.keyring.keys.map((k) => quoted(k.id)).join(', ')}). If it is a retired key, list it after the signing key so the rows it signed verify; otherwise the row was written by someone without Steward's keys.`,
      };
    }
    const expected = this.keyring.mac(row.macKeyId, row.hash)!;
    if (!sameMac(expected, row.mac)) return this.forged(row, 'its MAC does not match its hash');
    const last = this.ranges.at(-1);
    if (last && this.lastAge !== undefined && age > this.lastAge) {
      return {
        seq: row.seq,
        kind: 'retired_key',
        message: `Row ${row.seq} is signed with key ${quoted(row.macKeyId)}, older than key ${quoted(last.id)} that signed row ${last.to} before it. Steward never signs with a retired key after a rotation: whoever holds the retired key wrote this row.`,
      };
    }
    if (last?.id === row.macKeyId) last.to = row.seq;
    else this.ranges.push({ id: row.macKeyId, from: row.seq, to: row.seq });
    this.lastAge = age;
    return null;
  }

  summary(): MacSummary {
    return {
      checked: this.keyring.keys.length > 0,
      unkeyedRows: this.unkeyedRows,
      keyedFrom: this.keyedFrom,
      keyedRows: this.keyedRows,
      keys: this.ranges.map((r) => ({ ...r })),
    };
  }

  private forged(row: MacFields, why: string): ChainProblem {
    return {
      seq: row.seq,
      kind: 'forged',
      message: `Row ${row.seq} fails its MAC check under key ${quoted(row.macKeyId ?? '')}: ${why}. It was written or rewritten by someone without the key; its SHA-256 alone anyone can recompute.`,
    };
  }
}
