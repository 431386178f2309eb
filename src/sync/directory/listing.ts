import { isNotAvailable } from '../../anthropic/errors.js';
import type { Db, Executor } from '../../db/types.js';
import { StewardError } from '../../domain/errors.js';
import type { Logger } from '../../log.js';
import { batches } from '../batches.js';
import type { Tally } from '../tally.js';
import type { IngestContext } from '../types.js';
import { checkRecord, recordName, type Listing, type Rejected } from './validate.js';

export type ListingState = 'complete' | 'failed' | 'not_available';

/** What one run of the directory shares between its listings. */
export interface ListingRun {
  db: Db;
  log: Logger;
  tally: Tally;
  ctx: IngestContext;
  now: Date;
  size: number;
  notes: string[];
  states: Record<string, ListingState>;
  rejected: Rejected[];
  firstError?: StewardError;
}

export interface ListingSpec<T, R> {
  name: Listing;
  items: () => AsyncIterable<unknown>;
  toRow: (item: T) => R;
  keyOf: (item: T) => string;
  upsert: (tx: Executor, rows: R[], now: Date) => Promise<void>;
  onBatch?: (items: T[]) => void;
  notAvailableIsOk?: boolean;
  /** Names the listing in messages (e.g. `members of wrkspc_1`). */
  label?: string;
}

/**
 * Streams one listing into its table, record by record checked: a malformed record is
 * skipped and named (its id still counts as seen, so it is not marked removed), the
 * rest is stored. Returns the keys seen, or null when the listing did not complete (an
 * Anthropic error, or a page Steward cannot read: then nothing is marked removed).
 */
export async function streamListing<T, R>(run: ListingRun, spec: ListingSpec<T, R>): Promise<string[] | null> {
  const seen: string[] = [];
  const label = spec.label ?? spec.name.replace('_', ' ');
  let position = 0;
  try {
    for await (const batch of batches(spec.items(), run.size)) {
      const good: T[] = [];
      for (const item of batch) {
        position += 1;
        // Not even an object: the page is not what Steward is reading it as (a string `data`
        // iterates as characters), so nothing of this listing can be trusted, removals least.
        if (typeof item !== 'object' || item === null || Array.isArray(item))
          throw wrongShape(
            label,
            `record #${position} is ${Array.isArray(item) ? 'an array' : item === null ? 'null' : `a ${typeof item}`}`,
          );
        const checked = checkRecord<T>(spec.name, item, position);
        if (checked.ok) {
          good.push(checked.item);
          continue;
        }
        run.rejected.push(checked.rejected);
        run.tally.add(`${spec.name}_skipped`);
        const named = recordName(spec.name, item, position);
        if (!named.startsWith('#')) seen.push(named);
        run.log.warn(
          { listing: spec.name, record: checked.rejected.record, problem: checked.rejected.problem },
          `directory: skipped a malformed record in ${label}: ${checked.rejected.record} (${checked.rejected.problem})`,
        );
      }
      await run.db.transaction((tx) => spec.upsert(tx, good.map(spec.toRow), run.now));
      for (const item of good) seen.push(spec.keyOf(item));
      spec.onBatch?.(good);
      run.tally.add(spec.name, good.length);
      await run.ctx.onProgress?.(run.tally.progress(spec.name.replace('_', ' '), spec.name));
    }
  } catch (err) {
    const e = asListingError(err, label);
    if (!e) throw err;
    if (spec.notAvailableIsOk && isNotAvailable(e)) {
      run.states[spec.name] = 'not_available';
      run.notes.push(`${label}: not available with this credential (${e.message}); none marked removed`);
      run.log.info({ code: e.code }, `directory: ${spec.name} not available`);
      return null;
    }
    run.states[spec.name] = 'failed';
    run.firstError ??= e;
    run.notes.push(`${label}: listing failed part-way after ${position}; none marked removed (${e.message})`);
    run.log.warn({ code: e.code, err: e }, `directory: listing ${spec.name} failed`);
    return null;
  }
  run.states[spec.name] ??= 'complete';
  return seen;
}

/**
 * An Anthropic error ends the listing (reported, nothing removed). The SDK's pager
 * throws a TypeError ("Cannot use 'in' operator…") on a page of the wrong shape, which
 * the adapter passes on as a failed request: that is said in words naming the listing.
 */
function asListingError(err: unknown, label: string): StewardError | null {
  if (!(err instanceof StewardError) || !err.code.startsWith('anthropic_')) return null;
  if (err.code === 'anthropic_request_failed' && err.cause instanceof TypeError)
    return wrongShape(label, 'not a list of records', err);
  return err;
}

function wrongShape(label: string, why: string, cause?: unknown): StewardError {
  return new StewardError(
    'anthropic_malformed_response',
    `Anthropic API: listing ${label} returned a page of the wrong shape (${why}); the listing stopped there and nothing was marked removed`,
    { retry: false, ...(cause === undefined ? {} : { cause }) },
  );
}
