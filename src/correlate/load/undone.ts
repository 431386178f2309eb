import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import type { Executor } from '../../db/types.js';
import { STEWARD_MATCH_SLACK_MS } from '../rules/revocation-undone.js';
import type { KeyStatusChange, StewardDeactivation } from '../types.js';
import type { LoadParams } from './params.js';
import { activityRowsOf, ms, orgIs, toDate, toText, valuesIn } from './sql.js';

/**
 * Keys a Steward decision turned off: the latest `deactivate_key` that succeeded per key, with
 * the review whose Revoke (or timeout) asked for it, and whether Steward has since asked to
 * restore the key itself (then a key active again is Steward's own doing, not an undoing: such
 * keys are left out).
 */
export async function loadStewardDeactivations(ex: Executor, p: LoadParams): Promise<StewardDeactivation[]> {
  const rows = await queryRows(
    ex,
    sql`with d as (
          select distinct on (o.target_id) o.id, o.org_id, o.target_id, o.review_item_id, o.created_at, o.completed_at
          from outbox_actions o
          where ${orgIs('o.org_id', p.org)} and o.kind = 'deactivate_key' and o.status = 'succeeded'
          order by o.target_id, o.completed_at desc, o.id
        )
        select d.id, d.target_id, d.review_item_id, ${ms(sql`d.created_at`)} as created_at, ${ms(sql`d.completed_at`)} as completed_at,
               r.kind as review_kind, r.decision, r.decided_by_slack_id, ${ms(sql`r.decided_at`)} as decided_at, r.reason
        from d left join review_items r on r.id = d.review_item_id
        where not exists (select 1 from outbox_actions x
                          where x.org_id = d.org_id and x.kind = 'restore_key' and x.target_id = d.target_id and x.created_at >= d.created_at
                            and x.status not in ('failed', 'cancelled'))`,
  );
  return rows.map((r) => ({
    actionId: String(r.id),
    keyId: String(r.target_id),
    requestedAt: toDate(r.created_at)!,
    completedAt: toDate(r.completed_at) ?? toDate(r.created_at)!,
    review: r.review_item_id
      ? {
          id: toText(r.review_item_id)!,
          kind: toText(r.review_kind),
          decision: toText(r.decision),
          decidedBySlackId: toText(r.decided_by_slack_id),
          decidedAt: toDate(r.decided_at),
          reason: toText(r.reason),
        }
      : null,
  }));
}

/**
 * The status changes (`platform_api_key_updated` with an `updates` entry of type `status`,
 * https://platform.claude.com/docs/en/api/compliance/activities/list) of the given keys since
 * `since`, oldest first, through the partial index `activity_events_key_updates_idx`.
 */
export async function loadKeyStatusChanges(
  ex: Executor,
  keys: StewardDeactivation[],
  p: LoadParams,
): Promise<KeyStatusChange[]> {
  if (keys.length === 0) return [];
  // From the earliest deactivation on (its own record is how Steward's credential is recognised).
  const since = new Date(Math.min(...keys.map((k) => k.requestedAt.getTime())) - STEWARD_MATCH_SLACK_MS);
  const rows = await queryRows(
    ex,
    sql`select e.id, e.raw->>'api_key_id' as key_id, ${ms(sql`e.created_at`)} as at, e.actor_type, e.actor_id,
               e.raw->'actor'->>'email_address' as actor_email, u->>'previous_value' as previous, u->>'current_value' as current
        from activity_events e
        cross join lateral jsonb_array_elements(case when jsonb_typeof(e.raw->'updates') = 'array' then e.raw->'updates' else '[]'::jsonb end) u
        where ${activityRowsOf('e.org_id', p.org)} and e.type = 'platform_api_key_updated'
          and (e.raw->>'api_key_id') in ${valuesIn(keys.map((k) => k.keyId))}
          and e.created_at >= ${since.toISOString()}::timestamptz
          and e.created_at <= ${p.now.toISOString()}::timestamptz
          and u->>'type' = 'status'
        order by e.created_at, e.id`,
  );
  return rows.map((r) => ({
    activityId: String(r.id),
    keyId: String(r.key_id),
    at: toDate(r.at)!,
    actorType: String(r.actor_type),
    actorId: toText(r.actor_id),
    actorEmail: toText(r.actor_email),
    previous: toText(r.previous),
    current: toText(r.current),
  }));
}

/** What `revocation_undone` reads: Steward's standing deactivations and the status changes since. */
export async function loadUndoneSignals(
  ex: Executor,
  p: LoadParams,
): Promise<{ stewardDeactivations: StewardDeactivation[]; keyStatusChanges: KeyStatusChange[] }> {
  const stewardDeactivations = await loadStewardDeactivations(ex, p);
  return { stewardDeactivations, keyStatusChanges: await loadKeyStatusChanges(ex, stewardDeactivations, p) };
}
