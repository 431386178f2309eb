import type { AdminApi } from '../../anthropic/admin-api.js';
import type { Db, Executor } from '../../db/types.js';
import { syncFailure } from '../failure.js';
import type { Logger } from '../../log.js';
import { advanceCheckpoint, readCheckpoint, type CheckpointName } from '../checkpoints.js';
import { Tally } from '../tally.js';
import type { IngestContext, Ingester, IngestResult } from '../types.js';
import type { DirectoryAlerts, HeldRemovals } from './alerts.js';
import {
  clearHold,
  holdRemovals,
  memberRemovalCandidates,
  removalCandidates,
  trips,
  type BrakedListing,
  type BrakeSettings,
  type HeldId,
} from './brake.js';
import { streamListing, type ListingRun } from './listing.js';
import { tell } from './tell.js';
import {
  apiKeyRow,
  inviteRow,
  memberRow,
  serviceAccountRow,
  serviceAccountsNamedBy,
  userRow,
  workspaceRow,
} from './rows.js';
import { rejectionKey, rejectionNote, type Listing, type ListingItem } from './validate.js';
import {
  ensureServiceAccounts,
  markMembersRemoved,
  markRemoved,
  upsertApiKeys,
  upsertInvites,
  upsertMembers,
  upsertServiceAccounts,
  upsertUsers,
  upsertWorkspaces,
} from './write.js';

export interface DirectoryIngesterDeps {
  db: Db;
  admin: AdminApi;
  logger: Logger;
  now: () => Date;
  /** Rows per write. */
  batchSize?: number;
  /** The mass-change brake (policy `sync.removal_brake`). */
  brake: BrakeSettings;
  /** Recorded with the brake's audit rows. */
  policyVersion: string;
  /** Tells the security channel about held removals and malformed records; optional (the CLI may have no Slack). */
  alerts?: DirectoryAlerts;
  /** The organisation `admin` reads (issue 17): every row, removal and hold is of it. Default '' (not identified). */
  orgId?: string;
  /** Its checkpoint's name (default `directory`). */
  checkpoint?: CheckpointName;
}

/**
 * Admin API directory → org_users, invites, workspaces, workspace_members,
 * service_accounts, api_keys. Each listing is streamed and upserted in batches
 * (first_seen kept, last_seen refreshed, removed_at cleared), each record checked (a
 * malformed one is skipped and named, see listing.ts). Only a listing that ran to its
 * end marks the rows it did not return as removed, and only below the mass-change
 * brake (brake.ts); one that failed part-way removes nothing, and the other listings
 * still run. Service accounts cannot be listed with an Admin API key (403): that is
 * recorded, not a failure, and accounts named by keys are still recorded by id.
 */
export function createDirectoryIngester(deps: DirectoryIngesterDeps): Ingester {
  const size = deps.batchSize ?? 500;
  const log = deps.logger.child({ source: 'directory' });

  return {
    source: 'directory',
    async run(ctx: IngestContext = {}): Promise<IngestResult> {
      const tally = new Tally('directory');
      const now = deps.now();
      const run: ListingRun = { db: deps.db, log, tally, ctx, now, size, notes: [], states: {}, rejected: [] };
      const alerts: HeldRemovals[] = [];
      const holds: number[] = [];
      const o = deps.orgId ?? '';
      const hold = { now, policyVersion: deps.policyVersion, settings: deps.brake, orgId: o };
      const bind =
        <R>(f: (tx: Executor, rows: R[], at: Date, orgId: string) => Promise<void>) =>
        (tx: Executor, rows: R[], at: Date) =>
          f(tx, rows, at, o);

      /** Marks removals, unless they trip the brake: then they are held (and nothing of them applied). */
      const removeOrHoldIn = async (
        tx: Executor,
        listing: BrakedListing,
        candidates: (tx: Executor) => Promise<{ known: number; ids: HeldId[] }>,
        apply: (tx: Executor) => Promise<number>,
      ) => {
        const c = await candidates(tx);
        if (trips(c.known, c.ids.length, deps.brake)) {
          const held = await holdRemovals(tx, listing, c, hold);
          tally.add(`${listing}_removals_held`, c.ids.length);
          run.notes.push(
            `${listing.replace('_', ' ')}: ${c.ids.length} of ${c.known} known would be marked removed ` +
              `(more than ${deps.brake.percent}% and at least ${deps.brake.atLeast}): held back until an admin ` +
              'accepts (steward sync --accept-removals, or /steward sync accept)',
          );
          log.warn({ listing, known: c.known, held: c.ids.length }, `directory: mass removal of ${listing} held back`);
          if (held.alert) {
            alerts.push(held.alert);
            holds.push(held.holdId);
          }
          return;
        }
        await clearHold(tx, listing, hold);
        const n = await apply(tx);
        if (n) tally.add(`${listing}_removed`, n);
      };
      const removeOrHold = (
        listing: BrakedListing,
        candidates: (tx: Executor) => Promise<{ known: number; ids: HeldId[] }>,
        apply: (tx: Executor) => Promise<number>,
      ) => deps.db.transaction((tx) => removeOrHoldIn(tx, listing, candidates, apply));
      const removed = (name: string, n: number) => {
        if (n) tally.add(`${name}_removed`, n);
      };
      const byId = (x: { id: string }) => x.id;
      const spec = <L extends Listing, R>(
        name: L,
        items: () => AsyncIterable<unknown>,
        toRow: (item: ListingItem[L]) => R,
        upsert: (tx: Executor, rows: R[], at: Date) => Promise<void>,
      ) => ({ name, items, toRow, upsert, keyOf: byId as (x: ListingItem[L]) => string });

      let checkpointRejected: string[] = [];
      try {
        const users = await streamListing(
          run,
          spec('users', () => deps.admin.listUsers(), userRow, bind(upsertUsers)),
        );
        if (users)
          await removeOrHold(
            'users',
            (tx) => removalCandidates(tx, 'users', users, o),
            (tx) => markRemoved(tx, 'org_users', users, now, o),
          );

        const inv = await streamListing(
          run,
          spec('invites', () => deps.admin.listInvites(), inviteRow, bind(upsertInvites)),
        );
        if (inv) removed('invites', await deps.db.transaction((tx) => markRemoved(tx, 'invites', inv, now, o)));

        const ws = await streamListing(
          run,
          spec('workspaces', () => deps.admin.listWorkspaces(), workspaceRow, bind(upsertWorkspaces)),
        );
        if (ws)
          await removeOrHold(
            'workspaces',
            (tx) => removalCandidates(tx, 'workspaces', ws, o),
            (tx) => markRemoved(tx, 'workspaces', ws, now, o),
          );

        if (ws) {
          // Members per workspace; only workspaces whose member listing completed take removals.
          const completed: string[] = [];
          const pairs: Array<[string, string]> = [];
          let allComplete = true;
          for (const w of ws) {
            const members = await streamListing(run, {
              name: 'members',
              label: `members of ${w}`,
              items: () => deps.admin.listWorkspaceMembers(w),
              toRow: (m: ListingItem['members']) => memberRow(m, w),
              keyOf: (m: ListingItem['members']) => m.user_id,
              upsert: bind(upsertMembers),
            });
            if (members) {
              completed.push(w);
              for (const userId of members) pairs.push([w, userId]);
            } else allComplete = false;
          }
          run.states['members'] = allComplete ? 'complete' : 'failed';
          await removeOrHold(
            'members',
            (tx) => memberRemovalCandidates(tx, completed, pairs, ws, o),
            (tx) => markMembersRemoved(tx, completed, pairs, ws, now, o),
          );
        } else run.states['members'] = 'failed';

        const sas = await streamListing(run, {
          ...spec(
            'service_accounts',
            () => deps.admin.listServiceAccounts(),
            serviceAccountRow,
            bind(upsertServiceAccounts),
          ),
          notAvailableIsOk: true,
        });
        if (sas)
          removed(
            'service_accounts',
            await deps.db.transaction((tx) => markRemoved(tx, 'service_accounts', sas, now, o)),
          );

        const named = new Set<string>();
        const keys = await streamListing(run, {
          ...spec('api_keys', () => deps.admin.listApiKeys(), apiKeyRow, bind(upsertApiKeys)),
          onBatch: (batch: ListingItem['api_keys'][]) => {
            for (const k of batch) for (const id of serviceAccountsNamedBy(k)) named.add(id);
          },
        });
        const checkpoint = await readCheckpoint(deps.db, deps.checkpoint ?? 'directory');
        const reported = new Set(
          Array.isArray(checkpoint?.cursor?.['rejected']) ? (checkpoint.cursor['rejected'] as string[]) : [],
        );
        checkpointRejected = run.rejected.map(rejectionKey).filter((k) => !reported.has(k));
        await deps.db.transaction(async (tx) => {
          const added = await ensureServiceAccounts(tx, [...named], now, o);
          if (added) tally.add('service_accounts_from_keys', added);
          await advanceCheckpoint(
            tx,
            deps.checkpoint ?? 'directory',
            checkpoint?.cursor ?? null,
            { v: 1, listings: run.states, rejected: run.rejected.map(rejectionKey) },
            now,
          );
          if (keys)
            await removeOrHoldIn(
              tx,
              'api_keys',
              (t) => removalCandidates(t, 'api_keys', keys, o),
              (t) => markRemoved(t, 'api_keys', keys, now, o),
            );
        });
      } catch (err) {
        const error = syncFailure(err, 'directory');
        return { status: 'failed', counts: tally.counts, notes: run.notes, error };
      } finally {
        for (const listing of new Set(run.rejected.map((r) => r.listing)))
          run.notes.push(
            rejectionNote(
              listing,
              run.rejected.filter((r) => r.listing === listing),
            ),
          );
        await tell(deps, log, alerts, holds, run, new Set(checkpointRejected), now);
      }
      if (run.firstError) return { status: 'failed', counts: tally.counts, notes: run.notes, error: run.firstError };
      return { status: 'succeeded', counts: tally.counts, notes: run.notes };
    },
  };
}
