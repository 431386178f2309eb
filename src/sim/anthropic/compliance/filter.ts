import type { FeedEntry } from './entry.js';

/** What one feed request selects; every set is ORed within and ANDed across. */
export interface FeedFilter {
  types: ReadonlySet<string> | undefined;
  excludeTypes: ReadonlySet<string> | undefined;
  /** `actor_ids[]` merged with its alias `user_ids[]`: matched against `actor.user_id`. */
  actorIds: ReadonlySet<string> | undefined;
  organizationIds: ReadonlySet<string> | undefined;
  /** Activities with a null organisation stay in an `organization_ids[]` result (see FeedConfig). */
  keepNullOrg: boolean;
  tMin: number | undefined;
  tMax: number | undefined;
  /** An organisation's own key under a parent: its organisation's (and org-less) activities only. */
  onlyOrg?: string;
}

export const NO_FILTER: FeedFilter = {
  types: undefined,
  excludeTypes: undefined,
  actorIds: undefined,
  organizationIds: undefined,
  keepNullOrg: true,
  tMin: undefined,
  tMax: undefined,
};

/** Whether an entry is visible at `now` and passes the filter (facets only, no full activity). */
export function matches(e: FeedEntry, f: FeedFilter, now: number): boolean {
  if (e.visibleAt > now) return false;
  if (f.tMin !== undefined && e.t < f.tMin) return false;
  if (f.tMax !== undefined && e.t > f.tMax) return false;
  if (!f.types && !f.excludeTypes && !f.actorIds && !f.organizationIds && f.onlyOrg === undefined) return true;
  const a = e.source.facets(e);
  if (f.onlyOrg !== undefined) {
    const uuid = a['organization_uuid'];
    if (typeof uuid === 'string' && uuid !== f.onlyOrg) return false;
  }
  if (f.types && !f.types.has(a.type as string)) return false;
  if (f.excludeTypes && f.excludeTypes.has(a.type as string)) return false;
  if (f.actorIds) {
    const actor = a['actor'] as Record<string, unknown> | null | undefined;
    const userId = actor?.['user_id'];
    if (typeof userId !== 'string' || !f.actorIds.has(userId)) return false;
  }
  if (f.organizationIds) {
    const id = a['organization_id'];
    const uuid = a['organization_uuid'];
    const named =
      (typeof id === 'string' && f.organizationIds.has(id)) ||
      (typeof uuid === 'string' && f.organizationIds.has(uuid));
    const orgless = (id === null || id === undefined) && (uuid === null || uuid === undefined);
    if (!named && !(orgless && f.keepNullOrg)) return false;
  }
  return true;
}
