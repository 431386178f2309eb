import { desc } from 'drizzle-orm';
import { auditLog } from '../db/schema/index.js';
import type { Executor } from '../db/types.js';
import type { AuditKeyring } from './mac.js';
import { quoted } from './verify-rows.js';

/**
 * What is wrong with the configured keys given the log's newest row, for a warning at
 * start: a log that is already keyed but no key is set (every row appended now would
 * fail verify as unkeyed), or a newest row signed with a key no longer listed (verify
 * would fail at every row that key signed). Null when nothing is.
 */
export async function auditKeyWarning(db: Executor, keyring: AuditKeyring): Promise<string | null> {
  const [head] = await db
    .select({ seq: auditLog.seq, macKeyId: auditLog.macKeyId })
    .from(auditLog)
    .orderBy(desc(auditLog.seq))
    .limit(1);
  if (!head?.macKeyId) return null;
  if (keyring.signing === null)
    return `The audit log is keyed (row ${head.seq} is signed with key ${quoted(head.macKeyId)}) but STEWARD_AUDIT_KEY is not set: rows appended now carry no MAC and "steward audit verify" will report them as unkeyed. Set STEWARD_AUDIT_KEY.`;
  if (keyring.age(head.macKeyId) === undefined)
    return `The newest audit row ${head.seq} is signed with key ${quoted(head.macKeyId)}, which STEWARD_AUDIT_KEY does not list: keep retired keys in it after the signing key, or "steward audit verify" fails at every row they signed.`;
  return null;
}
