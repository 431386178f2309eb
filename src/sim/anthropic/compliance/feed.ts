import { iso, toMs } from '../clock.js';
import type { FeedConfig } from '../config.js';
import type { TimeInput } from '../state/types.js';
import type { Actor } from './actors.js';
import {
  cmpKey,
  MAX_ID,
  type Activity,
  type Direction,
  type FeedEntry,
  type FeedKey,
  type FeedSource,
  type KeyRange,
} from './entry.js';
import { encodeCursor, type Cursor } from './cursor.js';
import { ExplicitStore } from './explicit-store.js';
import { matches, type FeedFilter } from './filter.js';
import { activityId, SyntheticFeed, type SyntheticFeedSpec } from './synthetic.js';

/** An activity to add: the wire object, with `id`/`created_at`/org fields optional. */
export type ActivityInput = Record<string, unknown> & {
  type: string;
  actor: Actor | Record<string, unknown>;
  id?: string;
  created_at?: TimeInput;
  organization_id?: string | null;
  organization_uuid?: string | null;
};

export interface AddOptions {
  /** When it becomes queryable; later than `created_at + indexLag` models a late-indexed activity. */
  visibleAt?: TimeInput;
}

export interface FeedPageRequest extends FeedFilter {
  limit: number;
  /** `desc` (default): newest first. `after_id`/`before_id` are relative to this order. */
  order: Direction;
  after: Cursor | undefined;
  before: Cursor | undefined;
}

export interface FeedPage {
  data: Activity[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/** A well-formed activity ID cursor that names no activity (the docs are silent: a 400 naming it). */
export class CursorNotFound extends Error {
  constructor(
    readonly param: 'after_id' | 'before_id',
    readonly value: string,
  ) {
    super(`Invalid \`${param}\`. No activity found for \`${param}\` "${value}"`);
  }
}

const EXPLICIT_TAG = 0;

/**
 * The Activity Feed: explicit activities plus any number of synthetic feeds, merged
 * by key. Paging walks from a cursor in one direction, touching only the entries it
 * returns (plus filtered-out ones on the way), never the whole feed.
 */
export class ComplianceFeed {
  private readonly explicit = new ExplicitStore();
  private readonly synthetic: SyntheticFeed[] = [];
  private explicitSeq = 0;
  private cursorPages = 0;

  constructor(
    private readonly config: () => FeedConfig,
    private readonly now: () => number,
    private readonly defaults: () => {
      actors: readonly Actor[];
      organizationId: string | null;
      organizationUuid: string | null;
    },
  ) {}

  add(input: ActivityInput, opts: AddOptions = {}): Activity {
    const t = input.created_at === undefined ? this.now() : toMs(input.created_at);
    const d = this.defaults();
    const activity: Activity = {
      ...input,
      id: input.id ?? activityId(t, EXPLICIT_TAG, ++this.explicitSeq),
      created_at: typeof input.created_at === 'string' ? input.created_at : iso(t),
      organization_id: input.organization_id === undefined ? d.organizationId : input.organization_id,
      organization_uuid: input.organization_uuid === undefined ? d.organizationUuid : input.organization_uuid,
    };
    this.explicit.insert(t, activity, opts.visibleAt === undefined ? undefined : toMs(opts.visibleAt));
    return activity;
  }

  addMany(inputs: readonly ActivityInput[]): Activity[] {
    return inputs.map((a) => this.add(a));
  }

  addSynthetic(spec: SyntheticFeedSpec): SyntheticFeed {
    const feed = new SyntheticFeed(spec, this.synthetic.length + 1, this.defaults());
    this.synthetic.push(feed);
    return feed;
  }

  /** Every explicit activity, oldest first (synthetic ones are not materialised). */
  explicitActivities(): readonly Activity[] {
    return this.explicit.all();
  }

  get size(): number {
    return this.explicit.size + this.synthetic.reduce((n, f) => n + f.count, 0);
  }

  /**
   * One page in `req.order` (https://platform.claude.com/docs/en/api/compliance/activities/list:
   * "`after_id` and `before_id` are relative to this order"). `after`: the items right after the
   * cursor in result order. `before`: the items right before it (adjacent to the cursor), still in
   * result order; `has_more` says whether more exist in the direction asked.
   */
  page(req: FeedPageRequest): FeedPage {
    const lag = this.config().indexLagMs;
    const now = this.now();
    const range = this.timeRange(req, now);
    const dir = req.order;
    const back: Direction = dir === 'desc' ? 'asc' : 'desc';

    if (req.before !== undefined) {
      const at = this.resolve('before_id', req.before, lag);
      const dupes = this.redeliveries(at, dir, req, range, now, lag, req.limit);
      const fresh = this.collect(beyond(range, at.key, back), back, req, now, lag, req.limit - dupes.length);
      const items = fresh.items.reverse();
      return envelope(items.length ? [...items, ...dupes] : items, fresh.more);
    }
    if (req.after !== undefined) {
      const at = this.resolve('after_id', req.after, lag);
      const dupes = this.redeliveries(at, back, req, range, now, lag, req.limit).reverse();
      const fresh = this.collect(beyond(range, at.key, dir), dir, req, now, lag, req.limit - dupes.length);
      return envelope(fresh.items.length ? [...dupes, ...fresh.items] : fresh.items, fresh.more);
    }
    const first = this.collect(range, dir, req, now, lag, req.limit);
    return envelope(first.items, first.more);
  }

  private timeRange(f: FeedFilter, now: number): KeyRange {
    // Nothing created after `now` can be visible, so the walk never starts in the future.
    const tMax = Math.min(f.tMax ?? Infinity, now);
    return {
      above: f.tMin === undefined ? undefined : { t: f.tMin - 1, id: MAX_ID },
      below: { t: tMax + 1, id: '' },
    };
  }

  /** A cursor's position, and its entry when it names a stored activity (for redelivery). */
  private resolve(param: 'after_id' | 'before_id', c: Cursor, lag: number): { key: FeedKey; entry?: FeedEntry } {
    const id = c.kind === 'key' ? c.key.id : c.id;
    const entry =
      this.explicit.find(id, lag) ?? this.synthetic.map((s) => s.find(id, lag)).find((e) => e !== undefined);
    if (c.kind === 'key') return entry ? { key: c.key, entry } : { key: c.key };
    if (!entry) throw new CursorNotFound(param, id);
    return { key: { t: entry.t, id: entry.id }, entry };
  }

  /** At-least-once: on some cursor pages, re-send activities next to the cursor (inclusive), walking `towards`. */
  private redeliveries(
    at: { key: FeedKey; entry?: FeedEntry },
    towards: Direction,
    f: FeedFilter,
    range: KeyRange,
    now: number,
    lag: number,
    limit: number,
  ): Activity[] {
    const cfg = this.config().redeliver;
    // A page must still make progress, so it always keeps room for one new activity.
    if (!cfg || cfg.count <= 0 || limit <= cfg.count) return [];
    this.cursorPages += 1;
    if (this.cursorPages % Math.max(1, cfg.everyNthPage) !== 0) return [];
    const out: Activity[] = [];
    if (at.entry && matches(at.entry, f, now)) out.push(at.entry.source.materialize(at.entry));
    if (out.length < cfg.count)
      out.push(...this.collect(beyond(range, at.key, towards), towards, f, now, lag, cfg.count - out.length).items);
    return out.slice(0, cfg.count);
  }

  private collect(
    range: KeyRange,
    dir: Direction,
    f: FeedFilter,
    now: number,
    lag: number,
    limit: number,
  ): { items: Activity[]; more: boolean } {
    const items: Activity[] = [];
    if (limit <= 0) return { items, more: true };
    for (const e of this.merged(range, dir, lag)) {
      if (!matches(e, f, now)) continue;
      if (items.length === limit) return { items, more: true };
      items.push(e.source.materialize(e));
    }
    return { items, more: false };
  }

  private *merged(range: KeyRange, dir: Direction, lag: number): Generator<FeedEntry> {
    if (range.above && range.below && cmpKey(range.above, range.below) >= 0) return;
    const sources: FeedSource[] = [this.explicit, ...this.synthetic];
    const iters = sources.map((s) => s.iterate(range, dir, lag));
    const heads = iters.map((it) => it.next());
    const sign = dir === 'asc' ? 1 : -1;
    for (;;) {
      let best = -1;
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i]!;
        if (h.done) continue;
        const b = best < 0 ? undefined : heads[best]!;
        if (!b || b.done || sign * cmpKey(h.value, b.value) < 0) best = i;
      }
      if (best < 0) return;
      const h = heads[best]!;
      if (h.done) return;
      yield h.value;
      heads[best] = iters[best]!.next();
    }
  }
}

/** The part of `range` strictly past `key` when walking in `dir`. */
function beyond(range: KeyRange, key: FeedKey, dir: Direction): KeyRange {
  return dir === 'desc' ? { ...range, below: minKey(range.below, key) } : { ...range, above: maxKey(range.above, key) };
}

function envelope(data: Activity[], more: boolean): FeedPage {
  const first = data[0];
  const last = data[data.length - 1];
  return {
    data,
    has_more: more,
    first_id: first ? encodeCursor(first) : null,
    last_id: last ? encodeCursor(last) : null,
  };
}

function maxKey(a: FeedKey | undefined, b: FeedKey): FeedKey {
  return a && cmpKey(a, b) > 0 ? a : { t: b.t, id: b.id };
}

function minKey(a: FeedKey | undefined, b: FeedKey): FeedKey {
  return a && cmpKey(a, b) < 0 ? a : { t: b.t, id: b.id };
}
