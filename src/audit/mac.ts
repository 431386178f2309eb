import crypto from 'node:crypto';

/**
 * The keyed half of the audit log's integrity: every row appended while a key is set
 * carries an HMAC-SHA-256 of its hash (which covers the row's content and its
 * predecessor's hash), made with a key that lives in the environment, never in the
 * database. Someone who can write the database but does not hold the key can still
 * compute a row's SHA-256, but not its MAC.
 */

/** One key of STEWARD_AUDIT_KEY: its id is stored on every row it signs. */
export interface AuditKey {
  id: string;
  secret: Uint8Array;
}

/**
 * The keys this process holds, newest first. The newest signs; older ones only verify
 * rows they signed before a rotation. Along the chain a row may never be signed with an
 * older key than its predecessor was, so a retired key that leaks cannot extend the log.
 */
export interface AuditKeyring {
  /** Newest first; empty when STEWARD_AUDIT_KEY is not set. */
  readonly keys: readonly AuditKey[];
  /** The key new rows are signed with (the first), or null: rows are chained but not keyed. */
  readonly signing: AuditKey | null;
  /** Position of a key id in `keys` (0 = newest), undefined when this keyring does not hold it. */
  age(id: string): number | undefined;
  /** The MAC of a row hash under the key with this id; undefined when the id is unknown. */
  mac(id: string, hash: string): string | undefined;
}

export function auditKeyring(keys: readonly AuditKey[]): AuditKeyring {
  // A KeyObject per key: HMAC setup from one is cheaper than from bytes, for every row verified.
  const byId = new Map<string, { age: number; key: crypto.KeyObject }>();
  keys.forEach((k, age) => {
    if (byId.has(k.id)) throw new Error(`audit key id "${k.id}" is listed twice`);
    byId.set(k.id, { age, key: crypto.createSecretKey(k.secret) });
  });
  return {
    keys: [...keys],
    signing: keys[0] ?? null,
    age: (id) => byId.get(id)?.age,
    mac(id, hash) {
      const k = byId.get(id);
      return k === undefined ? undefined : rowMac(k.key, id, hash);
    },
  };
}

export const NO_AUDIT_KEYS: AuditKeyring = auditKeyring([]);

/**
 * HMAC-SHA-256 over a versioned label, the key id and the row hash. The id is inside the
 * MAC so a row cannot be relabelled with another key's id; the label keeps these MACs
 * from ever being mistaken for a MAC made with the same key for another purpose.
 */
export function rowMac(key: Uint8Array | crypto.KeyObject, keyId: string, hash: string): string {
  return crypto.createHmac('sha256', key).update(`steward.audit.row.v1\n${keyId}\n`).update(hash).digest('hex');
}

/**
 * Whether a stored MAC is the expected one. A plain comparison: verify runs over stored
 * rows, not in answer to requests, so nobody can time it comparison by comparison; a
 * constant-time compare cost a fifth of the MAC check on every row.
 */
export function sameMac(expected: string, stored: string): boolean {
  return expected === stored;
}

/**
 * The process's keyring. appendAudit is called inside the transactions of every module
 * (reviews, actions, sync, jobs); the key is a property of the deployment, not of one
 * call, so each entry point's composition root installs it once from the configuration
 * instead of threading it through every caller.
 */
let installed: AuditKeyring = NO_AUDIT_KEYS;

export function installAuditKeyring(keyring: AuditKeyring): void {
  installed = keyring;
}

export function installedAuditKeyring(): AuditKeyring {
  return installed;
}
