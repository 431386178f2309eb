import type { SimOrganization } from '../anthropic/index.js';
import type { ExpectedFinding } from './scenario-types.js';
import type { SandboxScenario } from './sandbox-org.js';
import { seedMembersWithKeys, type SecondOrgPerson } from './known-org/second-org.js';

/**
 * The sandbox company's other Claude organisations (issue 17; `npm run sandbox -- --orgs N`):
 * Claude Console organisations for production and research keys, linked under the same parent
 * (one activity feed, one Compliance key), each with its own Admin API key. Each holds two of
 * the company's people, with the same email and their own user id there, so one person's DM
 * holds items of several organisations, each labelled. The answer of each is known, like
 * `known-org/second-org.ts`'s:
 *
 * - an engineer of the company joined it 200 days ago, never used it, and created a key 120
 *   days ago that nothing has used since: a dormant seat and a dormant key, theirs;
 * - Priya (the security team) joined it 3 days ago and made a key yesterday: too new to be
 *   dormant (a trap that must not fire).
 */
export interface SandboxSibling {
  name: string;
  people: SecondOrgPerson[];
  expectedFindings: ExpectedFinding[];
}

const PURPOSES = ['Production', 'Research'] as const;
/** The company plus its siblings: at most one per purpose. */
export const SANDBOX_MAX_ORGS = PURPOSES.length + 1;

export function sandboxSiblings(scenario: SandboxScenario, orgs: number): SandboxSibling[] {
  const engineers = scenario.people.filter(
    (p) => p.inSlack && p !== scenario.securityLead && !scenario.securityTeam.includes(p) && p.index > 8,
  );
  const priya = scenario.securityTeam[0]!;
  return PURPOSES.slice(0, Math.max(0, orgs - 1)).map((purpose, i) => {
    const tag = `0${i + 2}${purpose.toUpperCase().slice(0, 4)}`;
    const engineer = engineers[engineers.length - 1 - i]!;
    const slug = purpose.toLowerCase();
    const ownerId = `user_${tag}${engineer.handle.replace(/\W/g, '').toUpperCase()}`;
    const people: SandboxSibling['people'] = [
      {
        id: ownerId,
        email: engineer.email,
        name: engineer.name,
        addedDaysAgo: 200,
        key: { id: `apikey_${tag}BATCH`, name: `${slug}-batch`, createdDaysAgo: 120 },
      },
      {
        id: `user_${tag}PRIYA`,
        email: priya.email,
        name: priya.name,
        addedDaysAgo: 3,
        key: { id: `apikey_${tag}FRESH`, name: `${slug}-fresh`, createdDaysAgo: 1 },
      },
    ];
    return {
      name: `${scenario.organization.name} ${purpose}`,
      people,
      expectedFindings: [
        {
          kind: 'dormant_seat',
          subjectType: 'user',
          subjectId: ownerId,
          via: 'holder',
          ownerUserId: ownerId,
        },
        {
          kind: 'dormant_key',
          subjectType: 'api_key',
          subjectId: `apikey_${tag}BATCH`,
          via: 'principal',
          ownerUserId: ownerId,
        },
      ],
    };
  });
}

/** Seeds a sibling's people and keys into its organisation under the simulator's parent. */
export function seedSandboxSibling(org: SimOrganization, sibling: SandboxSibling, now: Date): void {
  seedMembersWithKeys(org, sibling.people, now);
}
