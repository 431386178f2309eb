import crypto from 'node:crypto';
import { canonical } from './canonical.js';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields a row's hash covers: everything but the hash itself. */
export interface ChainedFields {
  seq: number;
  at: Date;
  actorType: string;
  actorSlackId: string | null;
  actorAnthropicId: string | null;
  actorLabel: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  reviewItemId: string | null;
  outcome: string;
  evidence: Record<string, unknown> | null;
  details: Record<string, unknown> | null;
  policyVersion: string | null;
  /** Issue 17; absent or null on rows that concern no organisation (all rows written before it). */
  orgId?: string | null;
  prevHash: string;
}

/** SHA-256 over the canonical serialisation (sorted keys, ISO times) of the row. */
export function rowHash(row: ChainedFields): string {
  const text = canonical({
    seq: row.seq,
    at: row.at.toISOString(),
    actorType: row.actorType,
    actorSlackId: row.actorSlackId,
    actorAnthropicId: row.actorAnthropicId,
    actorLabel: row.actorLabel,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    reviewItemId: row.reviewItemId,
    outcome: row.outcome,
    evidence: row.evidence,
    details: row.details,
    policyVersion: row.policyVersion,
    // Hashed only when set (undefined members are left out), so rows without one hash as before.
    orgId: row.orgId ?? undefined,
    prevHash: row.prevHash,
  });
  return sha256Hex(text);
}

// The one-shot `crypto.hash` (Node ≥ 20.12) is markedly cheaper per row than createHash.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');
