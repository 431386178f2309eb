import type { AdminApi } from '../../anthropic/admin-api.js';
import {
  createComplianceFeedClient,
  createFeedPacer,
  type ComplianceFeedClient,
  type ComplianceFeedOptions,
} from '../../anthropic/compliance/client.js';
import type { Db } from '../../db/types.js';
import type { Logger } from '../../log.js';
import type { CheckpointName } from '../checkpoints.js';
import type { OrgKey, SyncTarget } from '../organizations.js';
import type { SyncSettings } from '../settings.js';
import type { Ingester } from '../types.js';
import { createActivityIngester } from './ingester.js';

/**
 * Which activity feeds a sync reads (issue 17).
 *
 * With the parent's Compliance Access Key (`ANTHROPIC_COMPLIANCE_KEY`), or one organisation,
 * one feed reads every organisation's activity under the `activities` checkpoint, as always.
 * With several Admin keys and no parent key, each organisation's activity is read with its own
 * Admin key (which reads "your organization's" feed): one feed per organisation whose key
 * reads, each with its own checkpoint and catch-up windows, named like the other sources'
 * (`activities` for the first organisation, `activities@<organisation id>` for the others).
 * Those feeds share one pacer: the budget is the parent's, shared by every key under it.
 */

/** One feed a sync reads: its checkpoint, its client, the key that asks `compliance_settings`, and its organisation. */
export interface FeedTarget {
  checkpoint: CheckpointName;
  feed: ComplianceFeedClient;
  admin: AdminApi;
  /** The organisation it reads, when each organisation's feed is read with its own key. */
  org?: SyncTarget;
}

/**
 * The feeds of one run. `keys` says the mode: when any key carries its own feed, each
 * organisation in `targets` (those whose key reads; the others are skipped, as for every
 * source) is read through its own; otherwise the one feed `single` reads for all.
 */
export function feedTargets(
  targets: readonly SyncTarget[],
  keys: readonly Pick<OrgKey, 'feed'>[],
  single: { feed: ComplianceFeedClient; admin: AdminApi },
): FeedTarget[] {
  if (!keys.some((k) => k.feed)) return [{ checkpoint: 'activities', ...single }];
  return targets.flatMap((t) =>
    t.feed
      ? [
          {
            checkpoint: t.suffix ? (`activities@${t.suffix}` as const) : 'activities',
            feed: t.feed,
            admin: t.admin,
            org: t,
          },
        ]
      : [],
  );
}

/** Whether each organisation's feed is read with its own Admin key: several keys, no parent Compliance key. */
export function readsFeedPerOrganisation(scope: 'parent' | 'per-organisation', adminKeys: number): boolean {
  return scope === 'per-organisation' && adminKeys > 1;
}

/**
 * One feed client per Admin key, all paced by one pacer (the parent's budget is shared by
 * every key under it, so N clients together keep to one `rateShare`, not N of them).
 */
export function organizationFeedClients(
  adminKeys: readonly string[],
  opts: Omit<ComplianceFeedOptions, 'apiKey' | 'pacer'>,
): ComplianceFeedClient[] {
  const pacer = opts.rateShare === undefined ? undefined : createFeedPacer({ ...opts, rateShare: opts.rateShare });
  return adminKeys.map((apiKey) => createComplianceFeedClient({ ...opts, apiKey, ...(pacer ? { pacer } : {}) }));
}

export interface ActivityFeedDeps {
  db: Db;
  logger: Logger;
  now: () => Date;
  settings: SyncSettings;
  pageSize?: number | undefined;
  batchSize?: number | undefined;
}

/** An ingester per feed of the run, with its checkpoint and the organisation its report names (when it reads one). */
export function activityIngesters(
  deps: ActivityFeedDeps,
  feeds: readonly FeedTarget[],
): { ingester: Ingester; checkpoint: CheckpointName; org?: SyncTarget }[] {
  return feeds.map((f) => ({
    checkpoint: f.checkpoint,
    ingester: createActivityIngester({
      db: deps.db,
      logger: deps.logger,
      now: deps.now,
      settings: deps.settings,
      feed: f.feed,
      checkpoint: f.checkpoint,
      // Whether the Compliance API is on, asked with the key that reads the feed (a child
      // organisation reads the state its parent set).
      complianceEnabled: () => f.admin.complianceEnabled(),
      ...(deps.pageSize ? { pageSize: deps.pageSize } : {}),
      ...(deps.batchSize ? { batchSize: deps.batchSize } : {}),
    }),
    ...(f.org ? { org: f.org } : {}),
  }));
}
