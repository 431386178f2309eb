import type { ComplianceFeedClient } from '../../anthropic/compliance/client.js';
import type { FeedPage } from '../../anthropic/compliance/schema.js';
import type { Db } from '../../db/types.js';
import { syncFailure } from '../failure.js';
import type { Logger } from '../../log.js';
import { advanceCheckpoint, readCheckpoint } from '../checkpoints.js';
import type { SyncSettings } from '../settings.js';
import { Tally } from '../tally.js';
import type { IngestContext, Ingester, IngestResult } from '../types.js';
import { DAY_MS } from '../days.js';
import { afterPage, findDataStart, parseActivityCursor, passFraction, planPass, type ActivityCursor, type Pass } from './plan.js';
import { RollupAccumulator } from './rollup.js';
import { insertPage, preparePage, upsertRollups, type PreparedPage } from './write.js';

/**
 * A page as the batch loop needs it. The parsed activities are not kept: once prepared,
 * the response body and the roll-up contributions are all that is stored, so the
 * objects die young instead of filling the old generation while the page waits.
 */
interface ArrivedPage {
  prepared: PreparedPage;
  count: number;
  hasMore: boolean;
  lastId: string | null;
  oldestAt: string | null;
}

function arrived(page: FeedPage): ArrivedPage {
  return {
    prepared: preparePage(page.data, page.body),
    count: page.data.length,
    hasMore: page.hasMore,
    lastId: page.lastId,
    oldestAt: page.data[page.data.length - 1]?.created_at ?? null,
  };
}

export interface ActivityIngesterDeps {
  db: Db;
  feed: ComplianceFeedClient;
  logger: Logger;
  now: () => Date;
  settings: SyncSettings;
  /** Activities per request (the API allows up to 5000). */
  pageSize?: number;
  /** Activities per transaction (whole pages are added until this is reached). */
  batchSize?: number;
}

export const DEFAULT_ACTIVITY_PAGE_SIZE = 5000;
/**
 * Pages per transaction. Memory does not grow with it (pages are stored one by one;
 * only the batch's roll-up totals are held), but the per-principal work — roll-up
 * upserts and the correlation triggers behind them — is done once per batch, so bigger
 * batches cost less per activity. A crash loses at most one batch of work.
 */
export const DEFAULT_ACTIVITY_BATCH_SIZE = 50_000;

/**
 * Compliance activity feed → `activity_events` + `principal_activity_daily`.
 *
 * A run first finishes any pass a previous run left half-done (same window, from its
 * stored cursor); then, unless that was an incremental pass, it starts a new one: a
 * catch-up back to the backfill bound the first time, followed by an incremental pass
 * for what arrived meanwhile; otherwise an incremental pass from the high-water mark
 * minus the overlap. Pages are stored as they arrive, a batch of them per transaction
 * with the batch's roll-ups and the checkpoint that points past it. Fetching runs one
 * page ahead, so memory stays flat however long the feed is.
 */
export function createActivityIngester(deps: ActivityIngesterDeps): Ingester {
  const pageSize = deps.pageSize ?? DEFAULT_ACTIVITY_PAGE_SIZE;
  const batchSize = deps.batchSize ?? DEFAULT_ACTIVITY_BATCH_SIZE;
  const log = deps.logger.child({ source: 'activities' });

  return {
    source: 'activities',
    async run(ctx: IngestContext = {}): Promise<IngestResult> {
      const tally = new Tally('activities');
      const notes: string[] = [];
      try {
        let cursor = parseActivityCursor((await readCheckpoint(deps.db, 'activities'))?.cursor);
        const resumed = cursor.pass;
        if (resumed) {
          notes.push(`resumed a ${resumed.kind} pass from ${resumed.oldest_at ?? resumed.lt}`);
          cursor = await runPass(cursor, resumed, tally, ctx);
        }
        if (!resumed || resumed.kind === 'catchup') {
          const first = planPass(cursor, deps.now(), deps.settings);
          if (first) {
            cursor = await runPass(cursor, first, tally, ctx);
            if (first.kind === 'catchup') {
              const next = planPass(cursor, deps.now(), deps.settings);
              if (next) cursor = await runPass(cursor, next, tally, ctx);
            }
          }
        }
        return { status: 'succeeded', counts: tally.counts, notes };
      } catch (err) {
        const error = syncFailure(err, 'activities');
        return { status: 'failed', counts: tally.counts, notes, error };
      }
    },
  };

  async function runPass(start: ActivityCursor, pass: Pass, tally: Tally, ctx: IngestContext): Promise<ActivityCursor> {
    const phase = pass.kind === 'catchup' ? 'catch-up' : 'incremental';
    log.info({ pass: { ...pass } }, `activities: ${phase} pass over [${pass.gte}, ${pass.lt})`);
    tally.add('passes');
    const signal = ctx.signal ? { signal: ctx.signal } : {};
    // A page is made ready to store as soon as it arrives, while the database is still
    // storing the one before.
    const fetchPage = (afterId: string | null): Promise<ArrivedPage> => {
      const p = deps.feed
        .page({ limit: pageSize, createdAt: { gte: pass.gte, lt: pass.lt }, ...(afterId ? { afterId } : {}) }, signal)
        .then(arrived);
      // Awaited later; until then a rejection must not count as unhandled.
      p.catch(() => {});
      return p;
    };

    let current = pass;
    // A catch-up's ETA needs to know where the history starts; a few one-activity
    // requests find out (kept in the checkpoint, so a resumed pass does not ask again).
    if (pass.kind === 'catchup' && pass.data_from === undefined) {
      const from = await findDataStart(pass.gte, pass.lt, DAY_MS, async (before) => {
        const p = await deps.feed.page({ limit: 1, createdAt: { gte: pass.gte, lt: before } }, signal);
        return p.data.length > 0;
      });
      current = { ...pass, data_from: from };
    }

    // The next page is requested as soon as one arrives, so fetching and parsing run
    // while the database stores the previous page. At most two pages are in memory.
    let pending: Promise<ArrivedPage> | null = fetchPage(current.after_id);
    let cursor = start;
    try {
      for (;;) {
        // One transaction per batch: its pages' events, the roll-ups of those that were
        // new, and the checkpoint pointing past them, all or nothing.
        const { next, done, pages, fetched, inserted, rollups } = await deps.db.transaction(async (tx) => {
          const acc = new RollupAccumulator();
          let pages = 0;
          let fetched = 0;
          let inserted = 0;
          let lastId: string | null = null;
          let oldest: string | null = null;
          let done = false;
          while (!done && fetched < batchSize) {
            const page = await pending!;
            done = !page.hasMore;
            pending = done ? null : fetchPage(page.lastId);
            inserted += await insertPage(tx, page.prepared, deps.now(), acc);
            pages += 1;
            fetched += page.count;
            lastId = page.lastId ?? lastId;
            oldest = page.oldestAt ?? oldest;
          }
          const rollups = await upsertRollups(tx, acc);
          const next = afterPage(cursor, current, { lastId, oldestAt: oldest }, done);
          await advanceCheckpoint(tx, 'activities', cursor, next, deps.now());
          return { next, done, pages, fetched, inserted, rollups };
        });
        cursor = next;
        if (next.pass) current = next.pass;
        tally.add('pages', pages);
        tally.add('fetched', fetched);
        tally.add('inserted', inserted);
        tally.add('duplicates', fetched - inserted);
        tally.add('rollups', rollups);
        const fraction = done ? 1 : passFraction(current);
        await ctx.onProgress?.(tally.progress(phase, 'fetched', pass.kind === 'catchup' ? fraction : undefined));
        if (done) return cursor;
      }
    } finally {
      // Nothing is left running behind a failure.
      await pending?.catch(() => {});
    }
  }
}
