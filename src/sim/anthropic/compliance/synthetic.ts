import { iso, toMs } from '../clock.js';
import { base32, hashString, mix32, parseBase32 } from '../ids.js';
import type { TimeInput } from '../state/types.js';
import { DEFAULT_ACTIVITY_TYPES, typeFields, type Actor } from './actors.js';
import {
  cmpKey,
  type Activity,
  type Direction,
  type Facets,
  type FeedEntry,
  type FeedKey,
  type FeedSource,
  type KeyRange,
} from './entry.js';

export interface SyntheticFeedSpec {
  /** How many activities (millions are fine: nothing is materialised). */
  count: number;
  /** `created_at` range, inclusive start and exclusive end; activities spread evenly over it. */
  start: TimeInput;
  end: TimeInput;
  /** Who acts; picked per index by a hash. Defaults to the org's users at the time of creation. */
  actors?: readonly Actor[];
  /** Activity types, picked per index by a hash (repeat a type to weight it). */
  types?: readonly string[];
  /** Extra/override fields per activity (e.g. unknown future fields). */
  fields?: (index: number, type: string) => Record<string, unknown>;
  organizationId?: string | null;
  organizationUuid?: string | null;
  seed?: number;
}

const PREFIX = 'activity_';
const TIME_DIGITS = 10;
const TAG_DIGITS = 4;
const INDEX_DIGITS = 12;

/** id = `activity_` + time (10 base32) + feed tag (4) + index (12): unique and sorted like (t, index). */
export function activityId(t: number, tag: number, index: number): string {
  return PREFIX + base32(t, TIME_DIGITS) + base32(tag, TAG_DIGITS) + base32(index, INDEX_DIGITS);
}

export function parseActivityId(id: string): { t: number; tag: number; index: number } | undefined {
  if (!id.startsWith(PREFIX) || id.length !== PREFIX.length + TIME_DIGITS + TAG_DIGITS + INDEX_DIGITS) return undefined;
  const body = id.slice(PREFIX.length);
  const t = parseBase32(body.slice(0, TIME_DIGITS));
  const tag = parseBase32(body.slice(TIME_DIGITS, TIME_DIGITS + TAG_DIGITS));
  const index = parseBase32(body.slice(TIME_DIGITS + TAG_DIGITS));
  return t === undefined || tag === undefined || index === undefined ? undefined : { t, tag, index };
}

/**
 * A feed of `count` activities computed from their index. Timestamps are
 * non-decreasing whole seconds and ids increase with the index, so the key is
 * monotonic in the index and any position is found by binary search.
 */
export class SyntheticFeed implements FeedSource {
  readonly count: number;
  private readonly startMs: number;
  private readonly spanSec: number;
  private readonly actors: readonly Actor[];
  private readonly types: readonly string[];
  private readonly salt: number;

  constructor(
    private readonly spec: SyntheticFeedSpec,
    readonly tag: number,
    defaults: { actors: readonly Actor[]; organizationId: string | null; organizationUuid: string | null },
  ) {
    if (!Number.isInteger(spec.count) || spec.count < 0) throw new RangeError('count must be a non-negative integer');
    this.count = spec.count;
    this.startMs = Math.ceil(toMs(spec.start) / 1000) * 1000;
    const endMs = toMs(spec.end);
    if (endMs <= this.startMs) throw new RangeError('end must be after start');
    this.spanSec = Math.max(1, Math.floor((endMs - this.startMs) / 1000));
    this.actors = spec.actors ?? defaults.actors;
    if (this.actors.length === 0) throw new RangeError('a synthetic feed needs at least one actor');
    this.types = spec.types ?? DEFAULT_ACTIVITY_TYPES;
    this.salt = spec.seed ?? hashString(`feed-${tag}`);
    this.orgId = spec.organizationId === undefined ? defaults.organizationId : spec.organizationId;
    this.orgUuid = spec.organizationUuid === undefined ? defaults.organizationUuid : spec.organizationUuid;
  }

  private readonly orgId: string | null;
  private readonly orgUuid: string | null;

  timeAt(i: number): number {
    return this.startMs + Math.floor((i * this.spanSec) / this.count) * 1000;
  }

  keyAt(i: number): FeedKey {
    const t = this.timeAt(i);
    return { t, id: activityId(t, this.tag, i) };
  }

  activityAt(i: number): Activity {
    return this.build(i, this.keyAt(i));
  }

  materialize(entry: FeedEntry): Activity {
    return this.build(entry.ref as number, entry);
  }

  facets(entry: FeedEntry): Facets {
    // A `fields` callback may override anything, so only then build the whole thing.
    if (this.spec.fields) return this.materialize(entry);
    const i = entry.ref as number;
    return {
      type: this.typeAt(i),
      actor: this.actorAt(i),
      organization_id: this.orgId,
      organization_uuid: this.orgUuid,
    };
  }

  private typeAt(i: number): string {
    return this.types[mix32(i, this.salt ^ 0x5bd1e995) % this.types.length]!;
  }

  private actorAt(i: number): Actor {
    return this.actors[mix32(i, this.salt) % this.actors.length]!;
  }

  private build(i: number, { t, id }: FeedKey): Activity {
    const type = this.typeAt(i);
    const activity: Activity = {
      id,
      created_at: iso(t),
      organization_id: this.orgId,
      organization_uuid: this.orgUuid,
      actor: this.actorAt(i),
      type,
    };
    const extra = typeFields(type, base32(mix32(i, this.salt ^ 0x27d4eb2f), 7) + base32(i, INDEX_DIGITS));
    for (const k in extra) activity[k] = extra[k];
    if (this.spec.fields) Object.assign(activity, this.spec.fields(i, type));
    return activity;
  }

  find(id: string, indexLagMs: number): FeedEntry | undefined {
    const parsed = parseActivityId(id);
    if (!parsed || parsed.tag !== this.tag || parsed.index >= this.count) return undefined;
    return this.keyAt(parsed.index).id === id ? this.entry(parsed.index, indexLagMs) : undefined;
  }

  *iterate(range: KeyRange, dir: Direction, indexLagMs: number): Generator<FeedEntry> {
    const lo = range.above ? this.firstIndexWhere((k) => cmpKey(k, range.above!) > 0) : 0;
    const hi = range.below ? this.firstIndexWhere((k) => cmpKey(k, range.below!) >= 0) : this.count;
    if (dir === 'asc') for (let i = lo; i < hi; i++) yield this.entry(i, indexLagMs);
    else for (let i = hi - 1; i >= lo; i--) yield this.entry(i, indexLagMs);
  }

  private entry(i: number, indexLagMs: number): FeedEntry {
    const t = this.timeAt(i);
    return { t, id: activityId(t, this.tag, i), visibleAt: t + indexLagMs, source: this, ref: i };
  }

  /** Smallest index whose key satisfies a predicate that is monotone in the index. */
  private firstIndexWhere(pred: (k: FeedKey) => boolean): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (pred(this.keyAt(mid))) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
