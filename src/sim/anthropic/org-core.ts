import { UsageStore, type UsageInput, type UsageRow } from './analytics/usage-store.js';
import { UserActivityStore, type UserActivityInput } from './analytics/user-activity-store.js';
import { ClaudeCodeStore, type ClaudeCodeInput, type ClaudeCodeRow } from './analytics/claude-code-store.js';
import type { SimClock } from './clock.js';
import type { Activity } from './compliance/entry.js';
import type { ComplianceFeed, ActivityInput, AddOptions } from './compliance/feed.js';
import type { SyntheticFeed, SyntheticFeedSpec } from './compliance/synthetic.js';
import type { SimConfig } from './config.js';
import type { SimCore } from './context.js';
import type { IdFactory } from './ids.js';
import { OrgState } from './state/org-state.js';
import type { SimOrg } from './state/types.js';

/** The org model plus the activity, usage and seat-analytics stores, with seed helpers. */
export type SimState = OrgState & {
  compliance: ComplianceFeed;
  usage: UsageStore;
  userActivity: UserActivityStore;
  /** Adds one Activity Feed entry (explicit object; unknown types/actors welcome), of this organisation. */
  addActivity(input: ActivityInput, opts?: AddOptions): Activity;
  /** Adds a generated feed of `count` activities, computed on demand (never materialised), of this organisation. */
  addSyntheticActivities(spec: SyntheticFeedSpec): SyntheticFeed;
  /** Records API usage for a key (daily or at an instant). */
  addKeyUsage(input: UsageInput): UsageRow;
  /** Records a user's activity for one day (seat analytics). */
  addUserActivity(input: UserActivityInput): void;
  claudeCode: ClaudeCodeStore;
  /** Records Claude Code use by a user (email) or an API key (name) on a day. */
  addClaudeCodeUsage(input: ClaudeCodeInput): ClaudeCodeRow;
};

/** A core whose state carries the seed helpers. */
export type OrgCore = SimCore & { state: SimState };

/**
 * One organisation's core: its directory, usage and analytics stores and its config (keys),
 * over the Activity Feed of its parent. `orgFields` are the organisation fields every
 * activity this organisation records carries; the first organisation passes none, so its
 * activities take the feed's defaults exactly as a single-organisation simulator always did.
 */
export function buildOrgCore(args: {
  org: SimOrg;
  config: SimConfig;
  clock: SimClock;
  ids: IdFactory;
  feed: ComplianceFeed;
  orgFields?: { organization_id: string; organization_uuid: string };
}): OrgCore {
  const { org, config, clock, ids, feed } = args;
  const orgState = new OrgState(org, clock, ids);
  const fields = args.orgFields ?? {};
  const usage = new UsageStore(orgState);
  const userActivity = new UserActivityStore();
  const claudeCode = new ClaudeCodeStore();
  const state: SimState = Object.assign(orgState, {
    compliance: feed,
    usage,
    userActivity,
    addActivity: (input: ActivityInput, o?: AddOptions) => feed.add({ ...fields, ...input }, o),
    addSyntheticActivities: (spec: SyntheticFeedSpec) =>
      feed.addSynthetic(
        args.orgFields
          ? {
              organizationId: args.orgFields.organization_id,
              organizationUuid: args.orgFields.organization_uuid,
              ...spec,
            }
          : spec,
      ),
    addKeyUsage: (input: UsageInput) => usage.add(input),
    addUserActivity: (input: UserActivityInput) => userActivity.add(input),
    claudeCode,
    addClaudeCodeUsage: (input: ClaudeCodeInput) => claudeCode.add(input),
  });
  // The org type is config (tests may flip it); the org record follows it.
  Object.defineProperty(org, 'type', { get: () => config.orgType, enumerable: true });
  return { config, clock, ids, state, feed, usage, userActivity, claudeCode };
}
