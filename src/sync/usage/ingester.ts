import type { AdminApi } from '../../anthropic/admin-api.js';
import type { Db, Tx } from '../../db/types.js';
import type { Clock } from '../../domain/clock.js';
import type { Logger } from '../../log.js';
import { batches } from '../batches.js';
import { advanceCheckpoint, readCheckpoint, type CheckpointName } from '../checkpoints.js';
import { syncFailure } from '../failure.js';
import type { SyncSettings } from '../settings.js';
import { Tally } from '../tally.js';
import type { IngestContext, Ingester, IngestResult } from '../types.js';
import { advanced, parseUsageCursor, usageWindow, type UsageWindow } from './plan.js';

export interface UsageIngesterDeps {
  db: Db;
  admin: AdminApi;
  logger: Logger;
  now: Clock;
  settings: SyncSettings;
  /** The organisation `admin` reads (issue 17); default '' (not identified). */
  orgId?: string;
  /** Its checkpoints are `<source>@<orgId>` unless it is the first organisation (default: the bare name). */
  checkpointSuffix?: string;
}

/** Days [start, end) read as one piece; the checkpoint moves past each piece once stored. */
export interface UsagePart {
  start: string;
  end: string;
}

/** What differs between the usage sources: where a part's rows come from and where they go. */
export interface UsageSource<T> {
  source: 'key_usage' | 'seat_usage' | 'claude_code';
  /** How messages name it: `key usage`. */
  what: string;
  /** A day can be read once it is over plus this many days. */
  lagDays: number;
  parts(window: UsageWindow): UsagePart[];
  read(admin: AdminApi, part: UsagePart): AsyncIterable<T>;
  /** Stores a batch of a part; returns what to count. `note` reports what an operator should know (once each). */
  store(tx: Tx, part: UsagePart, batch: T[], now: Date, note: (text: string) => void): Promise<Record<string, number>>;
  /** How far back the first run reads (default: the policy's usage backfill). */
  backfillDays?: number;
  /** How progress names a part. */
  phase(part: UsagePart): string;
  /** Counted once per part stored. */
  partCounter: string;
  /** The counter progress reports its rate from. */
  rateOf: string;
  /**
   * A part whose reading failed in a way the source answers for itself (not available,
   * not published yet): the run ends there with this result. Undefined fails the run.
   */
  settle?(err: unknown, part: UsagePart, index: number, window: UsageWindow, log: Logger): SettledRun | undefined;
}

export type SettledRun = Pick<IngestResult, 'status' | 'notes'>;

/**
 * A usage source read from its checkpoint (or the backfill bound) to the last final
 * day, re-reading the refresh window: rows are replaced, so re-reading is harmless.
 * Each part commits with the checkpoint moved past it, so a failure resumes there.
 */
/** A usage source's checkpoint for the organisation the deps read. */
export const checkpointOf = (source: UsageSource<unknown>['source'], deps: UsageIngesterDeps): CheckpointName =>
  deps.checkpointSuffix ? `${source}@${deps.checkpointSuffix}` : source;

export function createUsageIngester<T>(deps: UsageIngesterDeps, src: UsageSource<T>): Ingester {
  const log = deps.logger.child({ source: src.source });
  return {
    source: src.source,
    async run(ctx: IngestContext = {}): Promise<IngestResult> {
      const tally = new Tally(src.source);
      const notes: string[] = [];
      const note = (text: string) => {
        if (notes.includes(text)) return;
        notes.push(text);
        log.warn(`${src.what}: ${text}`);
      };
      try {
        let raw = (await readCheckpoint(deps.db, checkpointOf(src.source, deps)))?.cursor ?? null;
        let cursor = parseUsageCursor(raw);
        const window = usageWindow(cursor, deps.now(), {
          backfillDays: src.backfillDays ?? deps.settings.usageBackfillDays,
          refreshDays: deps.settings.usageRefreshDays,
          lagDays: src.lagDays,
        });
        if (!window) return { status: 'succeeded', counts: tally.counts, notes: ['nothing to read yet'] };
        const parts = src.parts(window);
        for (const [i, part] of parts.entries()) {
          log.debug({ part }, `${src.what}: reading`);
          try {
            for await (const batch of batches<T>(src.read(deps.admin, part), 1000)) {
              const counts = await deps.db.transaction((tx) => src.store(tx, part, batch, deps.now(), note));
              for (const [name, n] of Object.entries(counts)) tally.add(name, n);
            }
          } catch (err) {
            const settled = src.settle?.(err, part, i, window, log);
            if (settled) return { ...settled, notes: [...notes, ...settled.notes], counts: tally.counts };
            throw err;
          }
          const next = advanced(cursor, part.end, window);
          await deps.db.transaction((tx) =>
            advanceCheckpoint(tx, checkpointOf(src.source, deps), raw, { ...next }, deps.now()),
          );
          raw = { ...next };
          cursor = next;
          tally.add(src.partCounter);
          await ctx.onProgress?.(tally.progress(src.phase(part), src.rateOf, (i + 1) / parts.length));
        }
        return { status: 'succeeded', counts: tally.counts, notes };
      } catch (err) {
        return { status: 'failed', counts: tally.counts, notes, error: syncFailure(err, src.what) };
      }
    },
  };
}
