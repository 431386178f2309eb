import type { ComplianceFeedClient } from '../../anthropic/compliance/client.js';
import { COMPLIANCE_OFF, recordComplianceState } from '../../db/compliance-state.js';
import type { Db } from '../../db/types.js';
import { syncFailure } from '../failure.js';
import type { Logger } from '../../log.js';
import { advanceCheckpoint, readCheckpoint, type CheckpointName } from '../checkpoints.js';
import type { SyncSettings } from '../settings.js';
import { Tally } from '../tally.js';
import type { IngestContext, Ingester, IngestResult } from '../types.js';
import { DAY_MS } from '../days.js';
import { deferSummaries, runWindowedCatchup, startWindowedCatchup, summariseAll, type CatchupDeps } from './catchup.js';
import {
  afterPage,
  findDataStart,
  parseActivityCursor,
  passFraction,
  planPass,
  type ActivityCursor,
  type Pass,
} from './plan.js';
import { readRange } from './range-reader.js';

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
  /**
   * The checkpoint this feed's passes are kept under (and its catch-up windows): `activities`
   * (the default), or `activities@<organisation id>` for an organisation other than the first
   * when each organisation's feed is read with its own key (issue 17).
   */
  checkpoint?: CheckpointName;
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
 * A run first finishes any pass a previous run left half-done (from its stored cursors);
 * then, unless that was an incremental pass, it starts a new one: a catch-up back to the
 * backfill bound the first time, followed by an incremental pass for what arrived
 * meanwhile; otherwise an incremental pass from the high-water mark minus the overlap.
 * A catch-up is cut into time windows read in parallel (`catchup.ts`; one cursor when
 * `sync.catchup_parallel` is 1); an incremental pass reads one cursor. Pages are stored
 * as they arrive, a batch of them per transaction with the batch's roll-ups and the
 * cursor that points past it. Fetching runs one page ahead of each cursor, so memory
 * stays flat however long the feed is.
 */
export function createActivityIngester(deps: ActivityIngesterDeps): Ingester {
  const checkpoint = deps.checkpoint ?? 'activities';
  const log = deps.logger.child({ source: 'activities', ...(checkpoint !== 'activities' ? { checkpoint } : {}) });
  const reader: CatchupDeps = {
    checkpoint,
    db: deps.db,
    feed: deps.feed,
    logger: log,
    now: deps.now,
    pageSize: deps.pageSize ?? DEFAULT_ACTIVITY_PAGE_SIZE,
    batchSize: deps.batchSize ?? DEFAULT_ACTIVITY_BATCH_SIZE,
    readAhead: deps.readAhead ?? DEFAULT_ACTIVITY_READ_AHEAD,
    share: deps.settings.feedRateShare,
    maxParallel: deps.settings.catchupParallel,
  };

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
        let cursor = parseActivityCursor((await readCheckpoint(deps.db, checkpoint))?.cursor);
        const resumed = cursor.pass;
        if (resumed) {
          notes.push(
            resumed.windows
              ? `resumed a windowed catch-up over [${resumed.gte}, ${resumed.lt})`
              : `resumed a ${resumed.kind} pass from ${resumed.oldest_at ?? resumed.lt}`,
          );
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
    const signal = ctx.signal;
    const parallel = pass.kind === 'catchup' && (pass.windows === true || reader.maxParallel > 1);

    let current = pass;
    let cursor = start;
    // A catch-up needs to know where the history starts, for its ETA and to cut windows
    // where there is history; a few one-activity requests find out (kept in the
    // checkpoint, so a resumed pass does not ask again).
    const probes: number[] = [];
    if (pass.kind === 'catchup' && pass.data_from === undefined) {
      const from = await findDataStart(
        pass.gte,
        pass.lt,
        DAY_MS,
        async (before) => {
          const p = await deps.feed.page({ limit: 1, createdAt: { gte: pass.gte, lt: before } }, { signal });
          if (p.elapsedMs !== undefined) probes.push(p.elapsedMs);
          return p.data.length > 0;
        },
        parallel ? reader.maxParallel : 1,
      );
      current = { ...pass, data_from: from };
    }

    const progress = async (fraction: number | undefined) =>
      ctx.onProgress?.(tally.progress(phase, 'fetched', pass.kind === 'catchup' ? fraction : undefined));

    if (parallel) {
      if (!current.windows) cursor = await startWindowedCatchup(reader, cursor, current);
      // The probes' round trips size the first windows (a page takes longer, but mostly the same network).
      const latencyMs = probes.length > 0 ? probes.reduce((a, b) => a + b, 0) / probes.length : undefined;
      return runWindowedCatchup(reader, cursor, cursor.pass!, { tally, signal, progress, latencyMs });
    }

    await readRange(reader, {
      gte: current.gte,
      lt: current.lt,
      afterId: current.after_id,
      // An incremental pass starts by re-reading its overlap window, so its pages are
      // known to hold stored activities; a catch-up's are expected to be new.
      mode: pass.kind === 'incremental' ? 'careful' : 'fast',
      signal,
      // A catch-up brings the correlation summaries up to date once, as it ends.
      ...(pass.kind === 'catchup' ? { beforeRollups: deferSummaries } : {}),
      async advance(tx, end) {
        if (end.done && pass.kind === 'catchup') await summariseAll(tx);
        const next = afterPage(cursor, current, end, end.done);
        await advanceCheckpoint(tx, checkpoint, cursor, next, deps.now());
        cursor = next;
      },
      redone: () => tally.add('batches_redone'),
      async committed(b) {
        if (cursor.pass) current = cursor.pass;
        tally.add('pages', b.pages);
        tally.add('fetched', b.fetched);
        tally.add('inserted', b.inserted);
        tally.add('duplicates', b.fetched - b.inserted);
        tally.add('rollups', b.rollups);
        await progress(b.done ? 1 : passFraction(current));
      },
    });
    return cursor;
  }
}
