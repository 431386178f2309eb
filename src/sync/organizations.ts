import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { AdminApi } from '../anthropic/admin-api.js';
import type { ComplianceFeedClient } from '../anthropic/compliance/client.js';
import { appendAudit } from '../audit/append.js';
import { readOrgKeyChecks, recordOrgKeyChecks, type KeyState, type OrgKeyCheck } from '../db/organization-keys.js';
import { organizations } from '../db/schema/index.js';
import type { Db, Executor } from '../db/types.js';
import type { Clock } from '../domain/clock.js';
import { StewardError } from '../domain/errors.js';
import type { Logger } from '../log.js';
import { adoptUnidentifiedRows } from './adopt.js';

/** One configured Admin API key: where it is configured, its fingerprint (never the key), its client. */
export interface OrgKey {
  ref: string;
  fingerprint: string;
  admin: AdminApi;
  /**
   * Its organisation's activity feed read with this key, when each organisation's feed is read
   * with its own key (no parent Compliance key, issue 17); absent when one feed reads for all.
   */
  feed?: ComplianceFeedClient;
}

/** The first 16 hex digits of the key's SHA-256: enough to recognise it again, useless to call with. */
export function keyFingerprint(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** The name each configured key goes by in messages: the variable, and its entry when there are several. */
export function keyRefs(keys: readonly string[], several: boolean): string[] {
  return keys.map((_, i) => (several ? `ANTHROPIC_ADMIN_KEYS entry ${i + 1}` : 'ANTHROPIC_ADMIN_KEY'));
}

/** One organisation a sync reads: its id, its Admin key's client, its name, and its checkpoints' suffix. */
export interface SyncTarget {
  orgId: string;
  admin: AdminApi;
  name?: string | undefined;
  /** Checkpoints are `<source>@<suffix>`; none for the first organisation (its checkpoints keep their names). */
  suffix?: string;
  /** Its own activity feed (`OrgKey.feed`), when each organisation's is read with its own key. */
  feed?: ComplianceFeedClient;
}

/**
 * The organisations a sync reads: those whose key answered (one whose key cannot read is not
 * read at all, so nothing is concluded from data Steward could not read). `checks` lists the
 * keys in `keys`' order first.
 */
export function syncTargets(checks: readonly OrgKeyCheck[], keys: readonly OrgKey[]): SyncTarget[] {
  return keys.flatMap((k, i) => {
    const c = checks[i];
    if (!c || c.state !== 'ok' || !c.orgId) return [];
    return [
      {
        orgId: c.orgId,
        admin: k.admin,
        name: c.name ?? c.orgId,
        ...(c.legacy ? {} : { suffix: c.orgId }),
        ...(k.feed ? { feed: k.feed } : {}),
      },
    ];
  });
}

/** The Admin API client of the key that last reached an organisation (by its fingerprint); null when none does. */
export async function adminOf(db: Db, keys: readonly OrgKey[], orgId: string): Promise<AdminApi | null> {
  const [org] = await db
    .select({ fingerprint: organizations.keyFingerprint, state: organizations.keyState })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  if (!org || org.state === 'missing') return null;
  return keys.find((k) => k.fingerprint === org.fingerprint)?.admin ?? null;
}

export interface OrgCheckDeps {
  db: Db;
  keys: readonly OrgKey[];
  logger: Logger;
  now: Clock;
  /** Told (after the commit) of each key whose state changed: the security channel (issue 17). */
  alert?: (changed: OrgKeyCheck[]) => Promise<void>;
}

/** How a refusal of `GET /v1/organizations/me` reads: 401 a dead key, 403 a key without the permission. */
function stateOf(err: unknown): { state: KeyState; detail: string } {
  const code = err instanceof StewardError ? err.code : undefined;
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'anthropic_unauthorized') return { state: 'revoked', detail };
  if (code === 'anthropic_forbidden') return { state: 'lacks_permission', detail };
  return { state: 'unreachable', detail };
}

/**
 * Asks each key which organisation it belongs to (`/v1/organizations/me`, never a typed name),
 * records the organisations, and finds the keys that cannot read: refused (401/403), or gone
 * from the configuration while their organisation is still known. A key's state changing is
 * an audit row (in the same transaction as the change); the whole result is kept for readiness
 * and status.
 */
export async function checkOrganizations(deps: OrgCheckDeps): Promise<OrgKeyCheck[]> {
  const answers = await Promise.all(
    deps.keys.map(async (k) => {
      try {
        return { key: k, me: await k.admin.organization() };
      } catch (err) {
        return { key: k, failure: stateOf(err) };
      }
    }),
  );
  const at = deps.now();
  const previous = (await readOrgKeyChecks(deps.db))?.checks ?? [];
  const result = await deps.db.transaction(async (tx) => {
    const known = await tx.select().from(organizations);
    const checks: OrgKeyCheck[] = [];
    const reached = new Set<string>();
    for (const a of answers) {
      if (a.me) {
        reached.add(a.me.id);
        const before = known.find((o) => o.id === a.me.id);
        await tx
          .insert(organizations)
          .values({
            id: a.me.id,
            name: a.me.name,
            keyRef: a.key.ref,
            keyFingerprint: a.key.fingerprint,
            keyState: 'ok',
            keyCheckedAt: at,
            firstSeenAt: at,
            lastSeenAt: at,
          })
          .onConflictDoUpdate({
            target: organizations.id,
            set: {
              name: a.me.name,
              keyRef: a.key.ref,
              keyFingerprint: a.key.fingerprint,
              keyState: 'ok',
              keyDetail: null,
              keyCheckedAt: at,
              lastSeenAt: at,
            },
          });
        if (before && before.keyState !== 'ok') await auditKeyState(tx, a.me.id, a.me.name, 'ok', before.keyState, at);
        checks.push({ ref: a.key.ref, orgId: a.me.id, name: a.me.name, state: 'ok', detail: null });
        continue;
      }
      const { failure } = a;
      const org = known.find((o) => o.keyFingerprint === a.key.fingerprint);
      if (org) {
        reached.add(org.id);
        await setKeyState(tx, org, failure.state, failure.detail, at);
      }
      checks.push({ ref: a.key.ref, orgId: org?.id ?? null, name: org?.name ?? null, ...failure });
      deps.logger.warn(
        { key: a.key.ref, org: org?.id, state: failure.state },
        'an Admin API key cannot read its organisation',
      );
    }
    // The first organisation ever identified adopts what was written before any was (issue 17).
    const legacy = known.find((o) => o.legacy) ?? checks.find((c) => c.state === 'ok' && c.orgId);
    const legacyId = legacy ? ('orgId' in legacy ? legacy.orgId : legacy.id) : null;
    if (legacyId) {
      if (!known.some((o) => o.legacy))
        await tx.update(organizations).set({ legacy: true }).where(eq(organizations.id, legacyId));
      const name = checks.find((c) => c.orgId === legacyId)?.name ?? legacyId;
      await adoptUnidentifiedRows(tx, { id: legacyId, name }, at);
      for (const c of checks) if (c.orgId === legacyId) c.legacy = true;
    }
    for (const org of known) {
      if (reached.has(org.id)) continue;
      await setKeyState(tx, org, 'missing', null, at);
      checks.push({
        ref: null,
        orgId: org.id,
        name: org.name,
        state: 'missing',
        detail: null,
        ...(org.legacy ? { legacy: true as const } : {}),
      });
    }
    await recordOrgKeyChecks(tx, checks, at);
    return checks;
  });
  const changed = result.filter((c) => {
    const was = previous.find((p) => (c.orgId ? p.orgId === c.orgId : p.ref === c.ref));
    return was ? was.state !== c.state : c.state !== 'ok';
  });
  if (changed.length && deps.alert) {
    try {
      await deps.alert(changed);
    } catch (err) {
      deps.logger.warn({ err }, 'could not tell the security channel about an Admin key; the next change is told');
    }
  }
  return result;
}

async function setKeyState(
  tx: Executor,
  org: typeof organizations.$inferSelect,
  state: KeyState,
  detail: string | null,
  at: Date,
): Promise<void> {
  await tx
    .update(organizations)
    .set({ keyState: state, keyDetail: detail, keyCheckedAt: at })
    .where(eq(organizations.id, org.id));
  if (org.keyState !== state) await auditKeyState(tx, org.id, org.name, state, org.keyState, at);
}

function auditKeyState(tx: Executor, id: string, name: string, state: KeyState, was: string, at: Date) {
  return appendAudit(tx, {
    actor: { type: 'system', job: 'sync' },
    action: 'organization.key_checked',
    subject: { type: 'organization', id },
    outcome: state,
    details: { organization: name, was },
    at,
  });
}
