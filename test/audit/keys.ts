import { expect } from 'vitest';
import { auditKeyring, installAuditKeyring, NO_AUDIT_KEYS, type AuditKey } from '../../src/audit/mac.js';
import { verifyAuditChain, type ChainProblemKind } from '../../src/audit/verify.js';
import type { Executor } from '../../src/db/types.js';

/** Fixed test keys: 32 bytes each, as `openssl rand -base64 32` would give. */
export const K1: AuditKey = { id: 'k1', secret: Buffer.alloc(32, 0x11) };
export const K2: AuditKey = { id: 'k2', secret: Buffer.alloc(32, 0x22) };
export const K3: AuditKey = { id: 'k3', secret: Buffer.alloc(32, 0x33) };

/** STEWARD_AUDIT_KEY for these keys, newest first. */
export function auditKeyEnv(...keys: AuditKey[]): string {
  return keys.map((k) => `${k.id}:${Buffer.from(k.secret).toString('base64')}`).join(',');
}

/** Appends from now on sign with the first key (as a Steward started with these keys would). */
export function signWith(...keys: AuditKey[]): void {
  installAuditKeyring(keys.length ? auditKeyring(keys) : NO_AUDIT_KEYS);
}

/**
 * Verify (at several batch sizes, so batch edges behave alike) finds `kind` at `seq`
 * with these keys; returns the problem's message.
 */
export async function expectMacProblem(
  db: Executor,
  seq: number,
  kind: ChainProblemKind,
  keys: AuditKey[],
): Promise<string> {
  let message = '';
  for (const batchSize of [1, 3, 5000]) {
    const r = await verifyAuditChain(db, { batchSize, keyring: auditKeyring(keys) });
    if (r.ok) throw new Error(`batch ${batchSize}: verify passed, expected ${kind} at ${seq}`);
    expect({ batchSize, seq: r.problem.seq, kind: r.problem.kind }).toEqual({ batchSize, seq, kind });
    message = r.problem.message;
  }
  return message;
}
