/**
 * Which Compliance activity types are administrative (they count as admin activity for
 * `stale_admin`): managing members, invites, roles, keys, workspaces, service accounts,
 * SSO and organisation settings. Viewing and listing are not administration.
 * Ingest may use this to fill `principal_activity_daily.admin_events`.
 */
const ADMIN_PREFIXES = [
  'org_',
  'admin_api_key_',
  'api_key_',
  'scoped_api_key_',
  'platform_api_key_',
  'platform_workspace_',
  'platform_service_account_',
  'platform_spend_limit_',
  'platform_federation_',
  'rbac_',
  'role_assignment_',
  'group_',
  'claude_user_role_',
  'claude_organization_settings_',
  'primary_owner_',
];
const NOT_ADMIN_SUFFIXES = ['_viewed', '_listed', '_accessed'];

export function isAdminActivityType(type: string): boolean {
  if (NOT_ADMIN_SUFFIXES.some((s) => type.endsWith(s))) return false;
  return ADMIN_PREFIXES.some((p) => type.startsWith(p));
}

/** The id an activity's actor is joined on, by actor type; null for actors with no id (SCIM, Anthropic). */
export function actorIdOf(actor: Record<string, unknown> | null | undefined): string | null {
  if (!actor) return null;
  const id = actor.user_id ?? actor.api_key_id ?? actor.service_account_id ?? actor.admin_api_key_id;
  return typeof id === 'string' && id.length > 0 ? id : null;
}
