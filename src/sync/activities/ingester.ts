import type { ComplianceFeedClient } from '../../anthropic/compliance/client.js';
import type { FeedPage } from '../../anthropic/compliance/schema.js';
import { COMPLIANCE_OFF, recordComplianceState } from '../../db/compliance-state.js';
import type { Db } from '../../db/types.js';
import { syncFailure } from '../failure.js';
import type { Logger } from '../../log.js';
import { advanceCheckpoint, readCheckpoint } from '../checkpoints.js';
import type { SyncSettings } from '../settings.js';
import { Tally } from '../tally.js';
import type { IngestContext, Ingester, IngestResult } from '../types.js';
import { DAY_MS } from '../days.js';
import {
  afterPage,
  findDataStart,
  parseActivityCursor,
  passFraction,
  planPass,
  type ActivityCursor,
  type Pass,
} from './plan.js';
import { RollupAccumulator } from './rollup.js';
import { readAhead } from './read-ahead.js';
import {
  isUniqueViolation,
  PageWriter,
  preparePage,
  upsertRollups,
  type PreparedPage,
  type WriteMode,
} from './write.js';

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
  /**
   * Whether the Compliance API is on (`compliance_settings`); when it says off, the feed is not
   * read and the run is "not available". Undefined, or a failing check, reads the feed as before.
   */
  complianceEnabled?: () => Promise<boolean>;
  /** Activities per request (the API allows up to 5000). */
  pageSize?: number;
  /** Activities per transaction (whole pages are added until this is reached). */
  batchSize?: number;
  /** Pages requested ahead of the one being stored. */
  readAhead?: number;
}

export const DEFAULT_ACTIVITY_PAGE_SIZE = 5000;
/**
 * Activities per transaction. Pages are stored one by one, so only the batch's roll-up
 * totals (one entry per principal and day) grow with it; but the per-principal work —
 * roll-up upserts and the correlation triggers behind them — is done once per batch, so
 * bigger batches cost less per activity: on bench/ingest's feed the triggers cost 6.6 s
 * per million activities at 50,000 and 2.1 s at 200,000. A crash loses at most one
 * batch of work (a few seconds).
 */
export const DEFAULT_ACTIVITY_BATCH_SIZE = 200_000;
/**
 * Pages requested ahead of the one being stored (each a response body of up to 5,000
 * activities, a few MB). On bench/ingest three were no faster than one and held ~10 MB
 * more: with pages pipelined to the database (PageWriter) one in hand is enough.
 */
export const DEFAULT_ACTIVITY_READ_AHEAD = 1;

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
  const readAheadPages = deps.readAhead ?? DEFAULT_ACTIVITY_READ_AHEAD;
  const log = deps.logger.child({ source: 'activities' });

  /** Asks compliance_settings and records the answer; undefined when it cannot be told. */
  async function complianceOn(): Promise<boolean | undefined> {
    if (!deps.complianceEnabled) return undefined;
    let enabled: boolean;
    try {
      enabled = await deps.complianceEnabled();
    } catch (err) {
      log.info({ err }, 'activities: could not read compliance_settings; reading the feed');
      return undefined;
    }
    await recordComplianceState(deps.db, enabled, deps.now());
    return enabled;
  }

  return {
    source: 'activities',
    async run(ctx: IngestContext = {}): Promise<IngestResult> {
      const tally = new Tally('activities');
      const notes: string[] = [];
      if ((await complianceOn()) === false) {
        log.warn(COMPLIANCE_OFF);
        return { status: 'not_available', counts: tally.counts, notes: [COMPLIANCE_OFF] };
      }
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
    // storing earlier ones.
    const fetchPage = (afterId: string | null): Promise<ArrivedPage> =>
      deps.feed
        .page({ limit: pageSize, createdAt: { gte: pass.gte, lt: pass.lt }, ...(afterId ? { afterId } : {}) }, signal)
        .then(arrived);

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

    // Pages are requested one after another as they arrive, up to `readAhead` of them
    // ahead of the one being stored, so fetching and parsing run while the database works.
    const readFrom = (afterId: string | null) =>
      readAhead<ArrivedPage>(
        { fetch: fetchPage, after: (page) => (page.hasMore ? page.lastId : undefined) },
        afterId,
        readAheadPages,
      );
    let feedPages = readFrom(current.after_id);
    // An incremental pass starts by re-reading its overlap window, so its pages are
    // known to hold stored activities; a catch-up's are expected to be new.
    let mode: WriteMode = pass.kind === 'incremental' ? 'careful' : 'fast';
    let cursor = start;

    // One transaction per batch: its pages' events, the roll-ups of those that were new,
    // and the checkpoint pointing past them, all or nothing.
    const storeBatch = (writeMode: WriteMode) =>
      deps.db.transaction(async (tx) => {
        const acc = new RollupAccumulator();
        const writer = new PageWriter(tx, deps.now, acc, writeMode);
        let pages = 0;
        let fetched = 0;
        let inserted = 0;
        let lastId: string | null = null;
        let oldest: string | null = null;
        let done = false;
        while (!done && fetched < batchSize) {
          const page = await feedPages.next();
          done = !page.hasMore;
          inserted += await writer.write(page.prepared);
          pages += 1;
          fetched += page.count;
          lastId = page.lastId ?? lastId;
          oldest = page.oldestAt ?? oldest;
        }
        inserted += await writer.flush();
        const rollups = await upsertRollups(tx, acc);
        const next = afterPage(cursor, current, { lastId, oldestAt: oldest }, done);
        await advanceCheckpoint(tx, 'activities', cursor, next, deps.now());
        return { next, done, pages, fetched, inserted, rollups };
      });

    try {
      for (;;) {
        let batch: Awaited<ReturnType<typeof storeBatch>>;
        try {
          batch = await storeBatch(mode);
        } catch (err) {
          if (mode !== 'fast' || !isUniqueViolation(err)) throw err;
          // The feed sent an activity already stored (delivery is at least once). Nothing
          // of the batch was kept: it is read again from where the last one ended and
          // stored skipping what is there, as is the rest of the pass.
          log.info(
            { after: current.after_id },
            'activities: a page held an activity already stored; the batch is read again and stored skipping those',
          );
          tally.add('batches_redone');
          mode = 'careful';
          await feedPages.close();
          feedPages = readFrom(current.after_id);
          continue;
        }
        const { next, done, pages, fetched, inserted, rollups } = batch;
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
      await feedPages.close();
    }
  }
}
