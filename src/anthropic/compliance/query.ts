/** One Activity Feed request. Times are RFC 3339 strings or Dates. */
export interface FeedQuery {
  /** 1–5000 (the API's default is 100). */
  limit?: number;
  /** Older activities: the previous page's `last_id`. */
  afterId?: string;
  /** Newer activities: a page's `first_id`. Only one cursor per request. */
  beforeId?: string;
  createdAt?: { gte?: Date | string; gt?: Date | string; lt?: Date | string; lte?: Date | string };
  activityTypes?: readonly string[];
  actorIds?: readonly string[];
  organizationIds?: readonly string[];
}

export const MAX_FEED_LIMIT = 5000;

/** Whole seconds print without `.000`, as the docs' examples do. */
export function rfc3339(t: Date | string): string {
  if (typeof t === 'string') return t;
  const s = t.toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, -5)}Z` : s;
}

/**
 * The query string, with arrays as `name[]=…` (the API's bracket convention) and time
 * bounds as `created_at.gte=…`. Throws on a request the API would refuse anyway.
 */
export function feedQueryString(q: FeedQuery): string {
  if (q.afterId !== undefined && q.beforeId !== undefined) throw new RangeError('at most one of afterId and beforeId');
  if (q.limit !== undefined && (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_FEED_LIMIT)) {
    throw new RangeError(`limit must be a whole number from 1 to ${MAX_FEED_LIMIT}`);
  }
  const p = new URLSearchParams();
  if (q.limit !== undefined) p.append('limit', String(q.limit));
  if (q.afterId !== undefined) p.append('after_id', q.afterId);
  if (q.beforeId !== undefined) p.append('before_id', q.beforeId);
  for (const op of ['gte', 'gt', 'lt', 'lte'] as const) {
    const v = q.createdAt?.[op];
    if (v !== undefined) p.append(`created_at.${op}`, rfc3339(v));
  }
  for (const v of q.activityTypes ?? []) p.append('activity_types[]', v);
  for (const v of q.actorIds ?? []) p.append('actor_ids[]', v);
  for (const v of q.organizationIds ?? []) p.append('organization_ids[]', v);
  return p.toString();
}
