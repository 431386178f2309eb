/**
 * Which organisations an entry naming `org` (an id, or a name in any case) is about (issue 17).
 * An entry without one is about every organisation; `pass` null means "every organisation at
 * once" (a campaign's inventory across organisations), where every entry counts. A pass over
 * rows not identified yet (id '') matches only entries naming no organisation.
 */
export interface OrgIdentity {
  id: string;
  name: string | null;
}

export function orgMatches(org: string | undefined | null, pass: OrgIdentity | null): boolean {
  if (!org || pass === null) return true;
  if (pass.id === '') return false;
  return org === pass.id || (pass.name !== null && org.toLowerCase() === pass.name.toLowerCase());
}

/** Whether `org` names one of `known` (by id or name). */
export function namesKnownOrg(org: string, known: readonly OrgIdentity[]): boolean {
  return known.some((k) => k.id !== '' && orgMatches(org, k));
}

/** An entry about one organisation outranks one about all of them. */
export const orgSpecificity = (org: string | undefined | null): number => (org ? 1 : 0);
