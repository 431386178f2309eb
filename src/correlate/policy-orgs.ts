import type { Policy } from '../config/policy.js';
import { namesKnownOrg, type OrgIdentity } from '../domain/org-match.js';

/**
 * Policy entries (exemptions, owner overrides) whose `org` names no organisation Steward has
 * identified (issue 17). Organisations are known only once their keys have answered, so this
 * cannot be checked when the policy is loaded; a correlation run says it instead, one line
 * per entry, and such an entry applies nowhere. Nothing is said before any organisation is
 * identified (then nothing could match yet).
 */
export function unknownPolicyOrgs(policy: Policy, known: readonly OrgIdentity[]): string[] {
  if (!known.some((k) => k.id !== '')) return [];
  const names = known
    .filter((k) => k.id !== '')
    .map((k) => k.name ?? k.id)
    .join(', ');
  const out: string[] = [];
  const check = (list: ReadonlyArray<{ org?: string | undefined }>, section: string) =>
    list.forEach((e, i) => {
      if (e.org && !namesKnownOrg(e.org, known))
        out.push(
          `Policy ${section}[${i}].org "${e.org}" names no organisation Steward governs (${names}); the entry applies nowhere.`,
        );
    });
  check(policy.exemptions, 'exemptions');
  check(policy.owners, 'owners');
  return out;
}
