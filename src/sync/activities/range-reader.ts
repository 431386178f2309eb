import type { ComplianceFeedClient } from '../../anthropic/compliance/client.js';
import type { FeedPage } from '../../anthropic/compliance/schema.js';
import type { Db, Tx } from '../../db/types.js';
import type { Logger } from '../../log.js';
import { supportsCopy } from '../../db/client.js';
import { BufferPool, CopyBatchWriter, CopyRefused, prepareCopyPage, type CopyPage } from './copy-writer.js';
import { readAhead } from './read-ahead.js';
import { upsertRollupsByCopy } from './rollup-copy.js';
import { RollupAccumulator } from './rollup.js';
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
  /** Ready for `PageWriter` (PGlite, or a careful batch)… */
  prepared?: PreparedPage;
  /** …or as COPY rows for `CopyBatchWriter` (a fast batch on PostgreSQL). */
  copy?: CopyPage;
  /** COPY path, on the last page of a batch: the roll-ups of all the batch's pages. */
  batchRollups?: RollupAccumulator;
  count: number;
  hasMore: boolean;
  lastId: string | null;
  oldestAt: string | null;
}

/**
 * COPY path: roll-ups are totalled as pages arrive, straight into the batch each page will
 * be stored in. Batches take whole pages in feed order until `batchSize` activities (or
 * the last page), so a page's batch is known when it arrives.
 */
interface Arrivals {
  rollups: RollupAccumulator;
  count: number;
}

function arrived(
  page: FeedPage,
  copy: { at: string; arrivals: Arrivals; batchSize: number; pool: BufferPool } | undefined,
): ArrivedPage {
  const out: ArrivedPage = {
    ...(copy === undefined
      ? { prepared: preparePage(page.data, page.body) }
      : { copy: prepareCopyPage(page.data, page.body, copy.at, copy.arrivals.rollups, copy.pool) }),
    count: page.data.length,
    hasMore: page.hasMore,
    lastId: page.lastId,
    oldestAt: page.data[page.data.length - 1]?.created_at ?? null,
  };
  if (copy) {
    copy.arrivals.count += out.count;
    if (copy.arrivals.count >= copy.batchSize || !out.hasMore) {
      out.batchRollups = copy.arrivals.rollups;
      copy.arrivals.rollups = new RollupAccumulator();
      copy.arrivals.count = 0;
    }
  }
  return out;
}

/** Where a batch left the range: the cursor to store with it. */
export interface BatchEnd {
  lastId: string | null;
  oldestAt: string | null;
  /** The feed said no more: the range is read. */
  done: boolean;
}

export interface BatchStored extends BatchEnd {
  pages: number;
  fetched: number;
  inserted: number;
  rollups: number;
}

export interface RangeReaderDeps {
  db: Db;
  feed: ComplianceFeedClient;
  logger: Logger;
  now: () => Date;
  pageSize: number;
  batchSize: number;
  readAhead: number;
}

export interface RangeRead {
  gte: string;
  lt: string;
  /** Where the range's next page starts (the stored cursor); null from its newest activity. */
  afterId: string | null;
  /** `fast` for a catch-up (new activities expected), `careful` for an incremental pass. */
  mode: WriteMode;
  signal?: AbortSignal | undefined;
  /**
   * Moves the range's stored cursor past a batch, inside the batch's transaction (so it
   * commits with the rows behind it).
   */
  advance(tx: Tx, end: BatchEnd): Promise<void>;
  /** After each committed batch; throwing stops the range there. */
  committed(batch: BatchStored): Promise<void>;
  /** Each page's round trip (ms) and the budget's limit it reported, as it arrives. */
  pageArrived?: (latencyMs: number, budgetPerMinute: number | undefined) => void;
  /** A batch met an activity already stored and is being read again (`careful`). */
  redone?: () => void;
  /** Runs in each batch's transaction before its roll-ups are stored (a catch-up defers the summaries there). */
  beforeRollups?: (tx: Tx) => Promise<void>;
}

/**
 * Reads [gte, lt) newest first from a stored cursor and stores it in batches: one
 * transaction per batch holds its pages' events, the roll-ups of those that were new,
 * and the cursor pointing past them, all or nothing. Pages are requested one after
 * another as they arrive, up to `readAhead` of them ahead of the one being stored, so
 * fetching and parsing run while the database works. Returns when the feed says no more.
 */
export async function readRange(deps: RangeReaderDeps, r: RangeRead): Promise<void> {
  const signal = r.signal ? { signal: r.signal } : {};
  const pool = new BufferPool();
  const fetchPage = (afterId: string | null, arrivals: Arrivals): Promise<ArrivedPage> => {
    const t0 = performance.now();
    return deps.feed
      .page({ limit: deps.pageSize, createdAt: { gte: r.gte, lt: r.lt }, ...(afterId ? { afterId } : {}) }, signal)
      .then((page) => {
        r.pageArrived?.(page.elapsedMs ?? performance.now() - t0, page.rateLimit?.limit);
        const at = deps.now().toISOString();
        return arrived(page, copying ? { at, arrivals, batchSize: deps.batchSize, pool } : undefined);
      });
  };
  const readFrom = (afterId: string | null) => {
    const arrivals: Arrivals = { rollups: new RollupAccumulator(), count: 0 };
    return readAhead<ArrivedPage>(
      { fetch: (cursor) => fetchPage(cursor, arrivals), after: (page) => (page.hasMore ? page.lastId : undefined) },
      afterId,
      deps.readAhead,
    );
  };
  let mode = r.mode;
  // A fast batch on PostgreSQL is stored with COPY; pages are prepared for it as they arrive.
  let copying = mode === 'fast' && supportsCopy(deps.db);
  let afterId = r.afterId;
  let feedPages = readFrom(afterId);

  const storeBatch = (writeMode: WriteMode) =>
    deps.db.transaction(async (tx) => {
      let acc = new RollupAccumulator();
      const copy = copying ? await CopyBatchWriter.open(tx) : undefined;
      const writer = copy ? undefined : new PageWriter(tx, deps.now, acc, writeMode);
      let pages = 0;
      let fetched = 0;
      let inserted = 0;
      let lastId: string | null = null;
      let oldestAt: string | null = null;
      let done = false;
      try {
        while (!done && fetched < deps.batchSize) {
          const page = await feedPages.next();
          done = !page.hasMore;
          inserted += copy ? await copy.write(page.copy!, pool) : await writer!.write(page.prepared!);
          if (page.batchRollups) acc = page.batchRollups;
          pages += 1;
          fetched += page.count;
          lastId = page.lastId ?? lastId;
          oldestAt = page.oldestAt ?? oldestAt;
        }
        if (copy) await copy.finish();
        else inserted += await writer!.flush();
      } catch (err) {
        // A COPY left open would keep the transaction from rolling back.
        copy?.abort(err);
        throw err;
      }
      await r.beforeRollups?.(tx);
      const rollups = copy ? await upsertRollupsByCopy(tx, acc) : await upsertRollups(tx, acc);
      const end: BatchEnd = { lastId: lastId ?? afterId, oldestAt, done };
      await r.advance(tx, end);
      return { ...end, pages, fetched, inserted, rollups };
    });

  try {
    for (;;) {
      let batch: Awaited<ReturnType<typeof storeBatch>>;
      try {
        batch = await storeBatch(mode);
      } catch (err) {
        if (mode !== 'fast' || !(isUniqueViolation(err) || err instanceof CopyRefused)) throw err;
        // The feed sent an activity already stored (delivery is at least once), or the
        // COPY failed without saying why. Nothing of the batch was kept: it is read again
        // from where the last one ended and stored skipping what is there, as is the rest
        // of the range (a failure that persists then surfaces with its own error).
        deps.logger.info(
          { after: afterId, window: { gte: r.gte, lt: r.lt } },
          'activities: a page held an activity already stored; the batch is read again and stored skipping those',
        );
        mode = 'careful';
        copying = false;
        await feedPages.close();
        feedPages = readFrom(afterId);
        r.redone?.();
        continue;
      }
      afterId = batch.lastId;
      await r.committed(batch);
      if (batch.done) return;
    }
  } finally {
    // Nothing is left running behind a failure.
    await feedPages.close();
  }
}
