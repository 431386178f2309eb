import { sql } from 'drizzle-orm';
import { queryRows } from './client.js';
import type { Executor } from './types.js';

/**
 * What the last check of the organisations' Admin API keys found (issue 17), kept beside the
 * sync checkpoints so readiness, `/steward status` and `steward sync` can say it without calling
 * Anthropic. One entry per configured key, plus one per known organisation whose key is gone.
 */
export type KeyState = 'ok' | 'revoked' | 'lacks_permission' | 'missing' | 'unreachable';

export interface OrgKeyCheck {
  /** Where the key is configured (`ANTHROPIC_ADMIN_KEY`, `ANTHROPIC_ADMIN_KEYS entry 2`); null for a missing key. */
  ref: string | null;
  /** The organisation (uuid from /v1/organizations/me); null when a key never answered. */
  orgId: string | null;
  name: string | null;
  state: KeyState;
  /** The API's words for a refusal (never the key). */
  detail: string | null;
  /** Set on the first organisation identified, whose checkpoints keep their old names. */
  legacy?: true;
}

export interface OrgKeyChecks {
  checks: OrgKeyCheck[];
  checkedAt: string;
}

const ROW = 'organization_keys';

export async function recordOrgKeyChecks(ex: Executor, checks: OrgKeyCheck[], now: Date): Promise<void> {
  const cursor = JSON.stringify({ checks, checked_at: now.toISOString() });
  await ex.execute(
    sql`insert into sync_checkpoints (source, cursor, updated_at) values (${ROW}, ${cursor}::jsonb, ${now.toISOString()}::timestamptz)
        on conflict (source) do update set cursor = excluded.cursor, updated_at = excluded.updated_at`,
  );
}

/** The last check; null before any. */
export async function readOrgKeyChecks(ex: Executor): Promise<OrgKeyChecks | null> {
  const [row] = await queryRows<{ cursor: unknown }>(
    ex,
    sql`select cursor from sync_checkpoints where source = ${ROW}`,
  );
  if (!row) return null;
  const c = (typeof row.cursor === 'string' ? JSON.parse(row.cursor) : row.cursor) as Record<string, unknown>;
  return Array.isArray(c['checks'])
    ? { checks: c['checks'] as OrgKeyCheck[], checkedAt: String(c['checked_at']) }
    : null;
}

/** One sentence per key that cannot read its organisation; none when every key works. */
export function orgKeyProblems(checks: readonly OrgKeyCheck[]): string[] {
  return checks.filter((c) => c.state !== 'ok').map(describeKeyProblem);
}

export function describeKeyProblem(c: OrgKeyCheck): string {
  const org = c.orgId ? `Organisation "${c.name ?? c.orgId}" (${c.orgId})` : null;
  const key = c.ref ? `its Admin API key (${c.ref})` : 'its Admin API key';
  const notRead = 'its data is not read and no finding is raised from it until this is fixed';
  const said = c.detail ? `: ${c.detail}` : '';
  switch (c.state) {
    case 'missing':
      return `${org ?? 'An organisation'} has no Admin API key configured any more (it was governed before); ${notRead}`;
    case 'revoked':
      return org
        ? `${org}: ${key} was refused as revoked, expired or invalid (401${said}); ${notRead}`
        : `${c.ref ?? 'An Admin API key'} was refused as revoked, expired or invalid (401${said}); which organisation it belongs to is not known`;
    case 'lacks_permission':
      return `${org ?? c.ref ?? 'An organisation'}: ${key} lacks a permission the Admin API requires (403${said}); ${notRead}`;
    case 'unreachable':
      return `${org ?? c.ref ?? 'An organisation'}: ${key} could not be checked${said}`;
    case 'ok':
      return `${org ?? c.ref}: ${key} works`;
  }
}
