import type { ExpectedFinding, KnownOrgScenario } from './known-org.js';
import { sandboxActivity } from './sandbox-activity.js';
import { sandboxCast, type SandboxScenarioOptions } from './sandbox-cast.js';
import { sandboxDirectory } from './sandbox-directory.js';
import { sandboxKeys } from './sandbox-keys.js';
import type { SandboxPerson } from './sandbox-people.js';

export { SANDBOX_LIMITS, type SandboxScenarioOptions } from './sandbox-cast.js';
export type { SandboxPerson } from './sandbox-people.js';

/**
 * The sandbox's organisation: a company of `people` members, `keys` API keys and `days`
 * of history whose right answer is known, for `npm run sandbox`. A few members and keys
 * are planted, one of each case a security engineer should see (below); the rest are
 * ordinary active people and keys, with a share of dormant ones, so the numbers scale
 * with the options and the answer stays known:
 *
 * - the security lead (primary owner, Steward admin in Slack), an active admin, an admin
 *   with no administrative activity (stale_admin), a member promoted to admin two days
 *   ago (privilege_grant), a contractor with no Slack account whose seat is dormant (its
 *   review falls back to the security channel), a member whose only recent use is
 *   background `*_viewed` activity, two leavers, a new hire with no activity yet;
 * - keys nobody is accountable for, one per reason (no creator recorded, creator removed,
 *   creator unknown, principal removed, principal unknown, unowned service account), a
 *   service account key whose owner the policy names, a key whose requests spiked
 *   yesterday, a key seen only through background views, a key never used, a key made
 *   yesterday;
 * - a stale invite and a fresh one.
 *
 * Traps that must NOT fire are part of the answer: the fresh invite, the new hire, the
 * key made yesterday, the owned service account key, the leavers' keys used only before
 * they left. Times are relative to `now`; listings happen on few moments (history start,
 * each leaver's removal, each later addition), so replaying the directory is quick.
 */
export interface SandboxScenario extends KnownOrgScenario {
  people: SandboxPerson[];
  /** The security lead: a Steward admin, member of the security channel. */
  securityLead: SandboxPerson;
  /** People in the security channel besides the lead. */
  securityTeam: SandboxPerson[];
  /**
   * Findings that depend on whether background `*_viewed` activity counts as use
   * (issue 13: by default it does not): raised only when views are not use.
   */
  viewsOnlyFindings: ExpectedFinding[];
}

export function sandboxScenario(opts: SandboxScenarioOptions): SandboxScenario {
  const cast = sandboxCast(opts);
  const directory = sandboxDirectory(cast);
  const keys = sandboxKeys(cast, directory.wsOf);
  const feed = sandboxActivity(cast);
  const { users, invites, workspaces, workspaceMembers, serviceAccounts } = directory;
  return {
    now: cast.now,
    organization: cast.org,
    policy: {
      owners: [{ service_account: 'svcacct_01SANDBOXDEPLOY', email: cast.priya.email }],
      // The organisation is `days` old: the first sync reads back to its start, not a year.
      sync: { activity_backfill_days: cast.days + 1, usage_backfill_days: cast.days + 1 },
    },
    users,
    invites,
    workspaces,
    workspaceMembers,
    serviceAccounts,
    apiKeys: keys.apiKeys,
    activities: feed.activities,
    keyUsage: keys.keyUsage,
    seatUsage: [],
    priorFindings: [],
    claims: [],
    expectedFindings: [...keys.expectedFindings, ...feed.expectedFindings],
    expectedResolutions: [],
    people: cast.people,
    securityLead: cast.lead,
    securityTeam: [cast.priya],
    viewsOnlyFindings: [...keys.viewsOnlyFindings, ...feed.viewsOnlyFindings],
  };
}
