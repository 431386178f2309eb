import type { AdminApi } from '../../anthropic/admin-api.js';
import { isNotAvailable } from '../../anthropic/errors.js';
import type { Db, Executor } from '../../db/types.js';
import { StewardError } from '../../domain/errors.js';
import { syncFailure } from '../failure.js';
import type { Logger } from '../../log.js';
import { batches } from '../batches.js';
import { advanceCheckpoint, readCheckpoint } from '../checkpoints.js';
import { Tally } from '../tally.js';
import type { IngestContext, Ingester, IngestResult } from '../types.js';
import {
  apiKeyRow,
  inviteRow,
  memberRow,
  serviceAccountRow,
  serviceAccountsNamedBy,
  userRow,
  workspaceRow,
} from './rows.js';
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
}

type ListingState = 'complete' | 'failed' | 'not_available';

/**
 * Admin API directory → org_users, invites, workspaces, workspace_members,
 * service_accounts, api_keys. Each listing is streamed and upserted in batches
 * (first_seen kept, last_seen refreshed, removed_at cleared). Only a listing that ran
 * to its end marks the rows it did not return as removed; one that failed part-way
 * removes nothing, and the other listings still run. Service accounts cannot be
 * listed with an Admin API key (403): that is recorded, not a failure, and accounts
 * named by keys are still recorded by id.
 */
export function createDirectoryIngester(deps: DirectoryIngesterDeps): Ingester {
  const size = deps.batchSize ?? 500;
  const log = deps.logger.child({ source: 'directory' });

  return {
    source: 'directory',
    async run(ctx: IngestContext = {}): Promise<IngestResult> {
      const tally = new Tally('directory');
      const notes: string[] = [];
      const states: Record<string, ListingState> = {};
      let firstError: StewardError | undefined;
      const now = deps.now();

      /** Streams one listing into its table; returns the keys seen (ids only), or null if it did not complete. */
      async function list<T, R>(
        name: string,
        items: () => AsyncIterable<T>,
        toRow: (item: T) => R,
        keyOf: (item: T) => string,
        upsert: (tx: Executor, rows: R[], now: Date) => Promise<void>,
        onBatch?: (items: T[]) => void,
        opts: { notAvailableIsOk?: boolean } = {},
      ): Promise<string[] | null> {
        const seen: string[] = [];
        try {
          for await (const batch of batches(items(), size)) {
            await deps.db.transaction((tx) => upsert(tx, batch.map(toRow), now));
            for (const item of batch) seen.push(keyOf(item));
            onBatch?.(batch);
            tally.add(name, batch.length);
            await ctx.onProgress?.(tally.progress(name.replace('_', ' '), name));
          }
        } catch (err) {
          if (!(err instanceof StewardError) || !err.code.startsWith('anthropic_')) throw err;
          if (opts.notAvailableIsOk && isNotAvailable(err)) {
            states[name] = 'not_available';
            notes.push(
              `${name.replace('_', ' ')}: not available with this credential (${err.message}); none marked removed`,
            );
            log.info({ code: err.code }, `directory: ${name} not available`);
            return null;
          }
          states[name] = 'failed';
          firstError ??= err;
          notes.push(`${name.replace('_', ' ')}: listing failed part-way after ${seen.length}; none marked removed`);
          log.warn({ code: err.code, err }, `directory: listing ${name} failed`);
          return null;
        }
        states[name] = 'complete';
        return seen;
      }

      const removed = async (name: string, n: number) => {
        if (n) tally.add(`${name}_removed`, n);
      };

      try {
        const byId = (x: { id: string }) => x.id;
        const users = await list('users', () => deps.admin.listUsers(), userRow, byId, upsertUsers);
        if (users) await removed('users', await deps.db.transaction((tx) => markRemoved(tx, 'org_users', users, now)));

        const inv = await list('invites', () => deps.admin.listInvites(), inviteRow, byId, upsertInvites);
        if (inv) await removed('invites', await deps.db.transaction((tx) => markRemoved(tx, 'invites', inv, now)));

        const ws = await list('workspaces', () => deps.admin.listWorkspaces(), workspaceRow, byId, upsertWorkspaces);
        if (ws) await removed('workspaces', await deps.db.transaction((tx) => markRemoved(tx, 'workspaces', ws, now)));

        if (ws) {
          // Members per workspace; only workspaces whose member listing completed take removals.
          const completed: string[] = [];
          const pairs: Array<[string, string]> = [];
          let allComplete = true;
          for (const w of ws) {
            const members = await list(
              'members',
              () => deps.admin.listWorkspaceMembers(w),
              (m) => memberRow(m, w),
              (m) => m.user_id,
              upsertMembers,
            );
            if (members) {
              completed.push(w);
              for (const userId of members) pairs.push([w, userId]);
            } else allComplete = false;
          }
          states['members'] = allComplete ? 'complete' : 'failed';
          await removed(
            'members',
            await deps.db.transaction((tx) => markMembersRemoved(tx, completed, pairs, ws, now)),
          );
        } else states['members'] = 'failed';

        const sas = await list(
          'service_accounts',
          () => deps.admin.listServiceAccounts(),
          serviceAccountRow,
          byId,
          upsertServiceAccounts,
          undefined,
          {
            notAvailableIsOk: true,
          },
        );
        if (sas)
          await removed(
            'service_accounts',
            await deps.db.transaction((tx) => markRemoved(tx, 'service_accounts', sas, now)),
          );

        const named = new Set<string>();
        const keys = await list(
          'api_keys',
          () => deps.admin.listApiKeys(),
          apiKeyRow,
          byId,
          upsertApiKeys,
          (batch) => {
            for (const k of batch) for (const id of serviceAccountsNamedBy(k)) named.add(id);
          },
        );
        const checkpoint = await readCheckpoint(deps.db, 'directory');
        await deps.db.transaction(async (tx) => {
          const added = await ensureServiceAccounts(tx, [...named], now);
          if (added) tally.add('service_accounts_from_keys', added);
          if (keys) await removed('api_keys', await markRemoved(tx, 'api_keys', keys, now));
          await advanceCheckpoint(tx, 'directory', checkpoint?.cursor ?? null, { v: 1, listings: states }, now);
        });
      } catch (err) {
        const error = syncFailure(err, 'directory');
        return { status: 'failed', counts: tally.counts, notes, error };
      }
      if (firstError) return { status: 'failed', counts: tally.counts, notes, error: firstError };
      return { status: 'succeeded', counts: tally.counts, notes };
    },
  };
}
