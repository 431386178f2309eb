/** Organisation roles that administer the organisation or its membership. */
export const ORG_ADMIN_ROLES: readonly string[] = ['primary_owner', 'owner', 'admin', 'membership_admin'];

export const WORKSPACE_ADMIN_ROLE = 'workspace_admin';

export function isOrgAdminRole(role: string | null | undefined): boolean {
  return role !== null && role !== undefined && ORG_ADMIN_ROLES.includes(role);
}

/** What kind of directory principal an actor or roll-up type names. */
export type PrincipalKind = 'user' | 'api_key' | 'service_account' | 'other';

/**
 * Roll-ups may name a principal by the feed's actor type (`user_actor`, `api_actor`,
 * `service_account_actor`) or by a short name (`user`, `api_key`, `service_account`);
 * both are accepted.
 */
export function principalKind(type: string | null | undefined): PrincipalKind {
  switch (type) {
    case 'user':
    case 'user_actor':
      return 'user';
    case 'api_key':
    case 'api_actor':
      return 'api_key';
    case 'service_account':
    case 'service_account_actor':
      return 'service_account';
    default:
      return 'other';
  }
}

/** Every type string that names a principal the directory lists (and so can be "unknown"). */
export const DIRECTORY_PRINCIPAL_TYPES: readonly string[] = [
  'user',
  'user_actor',
  'api_key',
  'api_actor',
  'service_account',
  'service_account_actor',
];
