import { StewardError } from '../domain/errors.js';
import type { AccessControl } from './execute.js';

/** The organisation's own Admin API (issue 17); throws when no configured key reaches it. */
export async function accessOf(
  deps: { accessFor?: (orgId: string) => Promise<AccessControl | null> },
  orgId: string,
): Promise<AccessControl | null> {
  if (!deps.accessFor || orgId === '') return null;
  const access = await deps.accessFor(orgId);
  if (access) return access;
  throw new StewardError(
    'organization_unavailable',
    `No configured Admin API key reaches organisation ${orgId}: the action waits for one (see /readyz)`,
    { retry: false },
  );
}
