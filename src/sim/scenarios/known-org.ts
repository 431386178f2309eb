/**
 * A small organisation whose correct correlation is known exactly: which seats are
 * dormant, which keys are unowned and why, which key spiked, who became admin, and a
 * few traps that must NOT fire (exactly N−1 days, a key created yesterday, a user
 * removed then re-added, a role change to a non-admin role …). Every object is in the
 * Admin API or Compliance API wire shape, times relative to `now`, so the same data can
 * be written straight into the tables (tests) or served by the simulated API (sandbox).
 * Its parts are under ./known-org/; the shapes in ./scenario-types.ts.
 */
import { knownOrgActivities } from './known-org/activities.js';
import { knownOrgApiKeys } from './known-org/api-keys.js';
import { knownOrgExpectedFindings, knownOrgExpectedResolutions } from './known-org/expected.js';
import { knownOrgPeople } from './known-org/people.js';
import { relativeTo } from './known-org/relative-time.js';
import { knownOrgUsage } from './known-org/usage.js';
import { knownOrgWorkspaces } from './known-org/workspaces.js';
import type { KnownOrgScenario } from './scenario-types.js';

export type {
  Activity,
  ExpectedFinding,
  KeyUsageDay,
  KnownOrgScenario,
  Listed,
  PriorFinding,
  ScenarioClaim,
  SeatUsageDay,
} from './scenario-types.js';

export const KNOWN_ORG_NOW = new Date('2026-06-15T12:00:00.000Z');

export function knownOrgScenario(now: Date = KNOWN_ORG_NOW): KnownOrgScenario {
  const time = relativeTo(now);
  const { ago } = time;
  const org = { id: 'org_01KNOWN', uuid: '6f1c2a9e-0000-4000-8000-00000000c0de', name: 'Acme Known' };
  const { users, invites } = knownOrgPeople(time);
  const { workspaces, workspaceMembers, serviceAccounts } = knownOrgWorkspaces(time);
  const apiKeys = knownOrgApiKeys(time);
  const activities = knownOrgActivities(time, org, users);
  const { keyUsage, seatUsage } = knownOrgUsage(time);

  return {
    now,
    organization: org,
    policy: { owners: [{ service_account: 'svcacct_01DEPLOY', email: 'platform@acme.test', slack: 'U0PLATFORM' }] },
    users,
    invites,
    workspaces,
    workspaceMembers,
    serviceAccounts,
    apiKeys,
    activities,
    keyUsage,
    seatUsage,
    priorFindings: [
      {
        kind: 'dormant_seat',
        subjectType: 'user',
        subjectId: 'user_01KIM',
        firstDetectedAt: ago(10, 8),
        lastActivityAt: ago(50),
      },
    ],
    claims: [
      {
        subjectType: 'api_key',
        subjectId: 'apikey_01CLAIMED',
        claimedBySlackId: 'U0CLAIMER',
        claimedByEmail: 'claimer@acme.test',
        claimedAt: ago(30),
      },
    ],
    expectedFindings: knownOrgExpectedFindings(),
    expectedResolutions: knownOrgExpectedResolutions(),
  };
}

/** When the scenario's directory was last listed by a sync: an hour before `now`. */
export function directoryListedAt(s: KnownOrgScenario): string {
  return new Date(s.now.getTime() - 3_600_000).toISOString();
}
