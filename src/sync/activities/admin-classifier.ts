/**
 * Which Compliance activity types are administrative: managing members, invites,
 * roles, API keys, workspaces, service accounts, SSO/SCIM and organisation settings.
 * They fill `principal_activity_daily.admin_events`, which `stale_admin` reads.
 * Reading, listing and signing in are not administration; unknown types are not
 * administrative unless they follow a management naming pattern.
 */
const ADMIN_PREFIXES = [
  'org_',
  'organization_',
  'claude_organization_',
  'claude_user_role_',
  'primary_owner_',
  'admin_api_key_',
  'api_key_',
  'scoped_api_key_',
  'platform_api_key_',
  'platform_workspace_',
  'workspace_',
  'platform_service_account_',
  'service_account_',
  'platform_spend_limit_',
  'platform_rate_limit_',
  'platform_federation_',
  'rbac_',
  'role_assignment_',
  'group_',
  'invite_',
  'scim_',
  'sso_configuration_',
  'sso_settings_',
  'domain_',
  'compliance_settings_',
  'data_retention_',
];

/** Reads and sessions, whatever they touch. */
const NOT_ADMIN_SUFFIXES = ['_viewed', '_listed', '_accessed', '_downloaded', '_exported', '_searched', '_read'];

const cache = new Map<string, boolean>();

export function isAdministrativeActivity(type: string): boolean {
  let v = cache.get(type);
  if (v === undefined) {
    v = !NOT_ADMIN_SUFFIXES.some((s) => type.endsWith(s)) && ADMIN_PREFIXES.some((p) => type.startsWith(p));
    // A feed has a few hundred distinct types at most; the cache keeps the hot path a lookup.
    if (cache.size < 10_000) cache.set(type, v);
  }
  return v;
}
