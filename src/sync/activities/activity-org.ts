import type { Activity } from '../../anthropic/compliance/schema.js';

/**
 * The organisation an activity belongs to (issue 17), as Steward names organisations: its
 * `organization_uuid`, the id `GET /v1/organizations/me` answers for an Admin key. Every
 * activity names its organisation, or none (`null`: sign-ins, API calls, Compliance API
 * access) — https://platform.claude.com/docs/en/api/compliance/activities/list. None, or
 * anything but a non-empty string, is `''`: activity that counts for its actor in every
 * organisation.
 */
export function activityOrg(a: Activity): string {
  const uuid = (a as Record<string, unknown>)['organization_uuid'];
  return typeof uuid === 'string' ? uuid : '';
}
