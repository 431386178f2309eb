import {
  cmpKey,
  type Activity,
  type Direction,
  type Facets,
  type FeedEntry,
  type FeedSource,
  type KeyRange,
} from './entry.js';

interface Stored {
  t: number;
  id: string;
  visibleAt: number | undefined;
  activity: Activity;
}

/** Activities added one by one (fixtures, emitted events), kept sorted by key. */
export class ExplicitStore implements FeedSource {
  private readonly rows: Stored[] = [];
  private readonly byId = new Map<string, Stored>();

  get size(): number {
    return this.rows.length;
  }

  insert(t: number, activity: Activity, visibleAt: number | undefined): void {
    if (this.byId.has(activity.id)) throw new Error(`duplicate activity id ${activity.id}`);
    const row: Stored = {
      t,
      id: activity.id,
      visibleAt: visibleAt === undefined ? undefined : Math.max(visibleAt, t),
      activity,
    };
    // Emitted activities arrive in time order, so the common case is an append.
    let i = this.rows.length;
    const last = this.rows[i - 1];
    if (last && cmpKey(last, row) > 0) i = this.firstAbove(row);
    this.rows.splice(i, 0, row);
    this.byId.set(row.id, row);
  }

  find(id: string, indexLagMs: number): FeedEntry | undefined {
    const row = this.byId.get(id);
    return row && this.entry(row, indexLagMs);
  }

  *iterate(range: KeyRange, dir: Direction, indexLagMs: number): Generator<FeedEntry> {
    const lo = range.above ? this.firstAbove(range.above) : 0;
    const hi = range.below ? this.firstAtOrAbove(range.below) : this.rows.length;
    if (dir === 'asc') for (let i = lo; i < hi; i++) yield this.entry(this.rows[i]!, indexLagMs);
    else for (let i = hi - 1; i >= lo; i--) yield this.entry(this.rows[i]!, indexLagMs);
  }

  materialize(entry: FeedEntry): Activity {
    return entry.ref as Activity;
  }

  facets(entry: FeedEntry): Facets {
    return entry.ref as Activity;
  }

  private entry(row: Stored, indexLagMs: number): FeedEntry {
    return { t: row.t, id: row.id, visibleAt: row.visibleAt ?? row.t + indexLagMs, source: this, ref: row.activity };
  }

  all(): readonly Activity[] {
    return this.rows.map((r) => r.activity);
  }

  private firstAbove(k: { t: number; id: string }): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmpKey(this.rows[mid]!, k) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private firstAtOrAbove(k: { t: number; id: string }): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmpKey(this.rows[mid]!, k) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
