/**
 * Feed order is by `(t, id)`: `created_at` in milliseconds, ties broken by id, as the
 * docs describe ("newest first, with ties in created_at broken by activity ID").
 */
export type Activity = Record<string, unknown> & { id: string; created_at: string; type: string };

export interface FeedKey {
  t: number;
  id: string;
}

/**
 * A position in the feed. No closure per entry: a page walks thousands of these,
 * so the activity is built by its source only when the entry is returned.
 */
export interface FeedEntry extends FeedKey {
  /** When the activity becomes queryable (never before `t`). */
  visibleAt: number;
  source: FeedSource;
  /** The stored activity, or the synthetic index. */
  ref: Activity | number;
}

export type Direction = 'asc' | 'desc';

/** Exclusive bounds; `undefined` is unbounded. */
export interface KeyRange {
  above: FeedKey | undefined;
  below: FeedKey | undefined;
}

export interface FeedSource {
  iterate(range: KeyRange, dir: Direction, indexLagMs: number): Iterator<FeedEntry>;
  find(id: string, indexLagMs: number): FeedEntry | undefined;
  materialize(entry: FeedEntry): Activity;
  /** The fields filters look at, cheaper than materialising the whole activity. */
  facets(entry: FeedEntry): Facets;
}

export interface Facets {
  type: unknown;
  actor?: unknown;
  organization_id?: unknown;
  organization_uuid?: unknown;
}

export function cmpKey(a: FeedKey, b: FeedKey): number {
  return a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Sentinels so time bounds become key bounds: ids sort after "" and before this. */
export const MAX_ID = '\uffff';
