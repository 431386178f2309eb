/**
 * The known organisation's sibling under the same parent (issue 17): a Claude Console
 * organisation for production API keys, where two people of the known organisation also
 * work. Its answer is known too, and it is an opt-in part: the known organisation's own
 * expected answer does not change when it is left out.
 *
 * - Carol (carol@acme.test, dormant in the known organisation) joined it 200 days ago, never
 *   used it, and created a key 120 days ago that nothing has used since: a dormant seat and a
 *   dormant key, both hers, in this organisation.
 * - Bob (bob@acme.test) joined three days ago and created a key yesterday: too new to be
 *   dormant (a trap that must not fire).
 *
 * Ids differ from the known organisation's (a person has one user id per organisation).
 */
import type { AnthropicSim, SimOrganization } from '../../anthropic/index.js';
import type { ExpectedFinding } from '../scenario-types.js';
import { relativeTo } from './relative-time.js';

export const SECOND_ORG_NAME = 'Acme Known Production';

export interface SecondOrgPerson {
  id: string;
  email: string;
  name: string;
  addedDaysAgo: number;
  key: { id: string; name: string; createdDaysAgo: number };
}

export const SECOND_ORG_PEOPLE: readonly SecondOrgPerson[] = [
  {
    id: 'user_02CAROL',
    email: 'carol@acme.test',
    name: 'Carol Quiet',
    addedDaysAgo: 200,
    key: { id: 'apikey_02NIGHTLY', name: 'prod-nightly', createdDaysAgo: 120 },
  },
  {
    id: 'user_02BOB',
    email: 'bob@acme.test',
    name: 'Bob Builder',
    addedDaysAgo: 3,
    key: { id: 'apikey_02FRESH', name: 'prod-fresh', createdDaysAgo: 1 },
  },
];

/** Exactly what correlation must conclude about the second organisation. */
export function secondOrgExpectedFindings(): ExpectedFinding[] {
  return [
    {
      kind: 'dormant_seat',
      subjectType: 'user',
      subjectId: 'user_02CAROL',
      via: 'holder',
      ownerUserId: 'user_02CAROL',
    },
    {
      kind: 'dormant_key',
      subjectType: 'api_key',
      subjectId: 'apikey_02NIGHTLY',
      via: 'principal',
      ownerUserId: 'user_02CAROL',
    },
  ];
}

/** Adds the second organisation under the simulator's parent and seeds it; returns it. */
export function seedSecondOrganization(sim: AnthropicSim, now: Date): SimOrganization {
  return seedSecondOrganizationInto(sim.addOrganization({ name: SECOND_ORG_NAME }), now);
}

/** Seeds the second organisation's people and keys into an organisation already added (e.g. by a test harness). */
export function seedSecondOrganizationInto(org: SimOrganization, now: Date): SimOrganization {
  seedMembersWithKeys(org, SECOND_ORG_PEOPLE, now);
  return org;
}

/** Adds each person as a developer of `org`, with the one key they created and act through. */
export function seedMembersWithKeys(org: SimOrganization, people: readonly SecondOrgPerson[], now: Date): void {
  const { ago } = relativeTo(now);
  for (const p of people) {
    org.state.addUser({ id: p.id, email: p.email, name: p.name, role: 'developer', addedAt: ago(p.addedDaysAgo, 9) });
    org.state.addApiKey({
      id: p.key.id,
      name: p.key.name,
      createdAt: ago(p.key.createdDaysAgo, 8),
      createdBy: { id: p.id, type: 'user' },
      principal: { type: 'user_actor', user_id: p.id },
    });
  }
}
