import type { ApiKey, Invite, OrgUser, ServiceAccount, Workspace, WorkspaceMember } from '../../anthropic/types.js';

/**
 * Admin API objects → directory rows (pure). Every row keeps the object as `raw`.
 * Times become Dates; a missing or unparseable time becomes null rather than failing
 * the listing.
 */
const time = (v: unknown): Date | null => {
  if (typeof v !== 'string' || v === '') return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : new Date(ms);
};
const raw = (o: object): Record<string, unknown> => o as Record<string, unknown>;

export function userRow(u: OrgUser) {
  return { id: u.id, email: u.email, name: u.name ?? null, role: u.role, addedAt: time(u.added_at), raw: raw(u) };
}

export function inviteRow(i: Invite) {
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    status: i.status,
    invitedAt: time(i.invited_at),
    expiresAt: time(i.expires_at),
    acceptedAt: time(i.accepted_at),
    raw: raw(i),
  };
}

export function workspaceRow(w: Workspace) {
  return { id: w.id, name: w.name, createdAt: time(w.created_at), archivedAt: time(w.archived_at), raw: raw(w) };
}

export function memberRow(m: WorkspaceMember, workspaceId: string) {
  return {
    workspaceId: m.workspace_id || workspaceId,
    userId: m.user_id,
    workspaceRole: m.workspace_role,
    raw: raw(m),
  };
}

export function serviceAccountRow(s: ServiceAccount) {
  return {
    id: s.id,
    name: s.name,
    status: s.archived_at ? 'archived' : 'active',
    createdAt: time(s.created_at),
    createdById: s.created_by_actor_id ?? null,
    raw: raw(s),
  };
}

/** `user_actor` → `user`, `service_account_actor` → `service_account`; other types kept as sent. */
export function principalOf(p: ApiKey['principal']): { type: string; id: string } | null {
  if (!p || typeof p !== 'object') return null;
  const r = p as Record<string, unknown>;
  if (p.type === 'user_actor' && typeof r['user_id'] === 'string') return { type: 'user', id: r['user_id'] };
  if (p.type === 'service_account_actor' && typeof r['service_account_id'] === 'string')
    return { type: 'service_account', id: r['service_account_id'] };
  const idField = Object.keys(r).find((k) => k.endsWith('_id') && typeof r[k] === 'string');
  return idField ? { type: String(p.type), id: r[idField] as string } : null;
}

/**
 * Where a key belongs. The current shape says it in `scope`; the older shape has a
 * top-level `workspace_id`, null for the default workspace (whose id it does not give,
 * so it stays null here too). When both are present, `scope` wins.
 */
export function scopeOf(k: ApiKey): { type: string | null; workspaceId: string | null } {
  const s = k.scope as Record<string, unknown> | undefined;
  if (s && typeof s['type'] === 'string') {
    return { type: s['type'], workspaceId: typeof s['workspace_id'] === 'string' ? s['workspace_id'] : null };
  }
  if ('workspace_id' in k) return { type: 'workspace', workspaceId: k.workspace_id ?? null };
  return { type: null, workspaceId: null };
}

export function apiKeyRow(k: ApiKey) {
  const principal = principalOf(k.principal);
  const scope = scopeOf(k);
  return {
    id: k.id,
    name: k.name,
    status: k.status,
    createdAt: time(k.created_at),
    createdByType: k.created_by?.type ?? null,
    createdById: k.created_by?.id ?? null,
    principalType: principal?.type ?? null,
    principalId: principal?.id ?? null,
    scopeType: scope.type,
    workspaceId: scope.workspaceId,
    expiresAt: time(k.expires_at),
    partialKeyHint: k.partial_key_hint ?? null,
    raw: raw(k),
  };
}

/** Service accounts a key names (as principal or creator): known to exist even when they cannot be listed. */
export function serviceAccountsNamedBy(k: ApiKey): string[] {
  const out: string[] = [];
  const p = principalOf(k.principal);
  if (p?.type === 'service_account') out.push(p.id);
  if (k.created_by?.type === 'service_account' && k.created_by.id && !out.includes(k.created_by.id))
    out.push(k.created_by.id);
  return out;
}
