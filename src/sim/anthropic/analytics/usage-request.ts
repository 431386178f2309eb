/**
 * The usage report's query, validated as the endpoint validates it: the time range and bucket
 * width, up to five `group_by[]` dimensions, the `…_ids[]` filters, ordering and `limit`
 * (GET /v1/organizations/analytics/usage, the SDK's `beta.organization.analytics.usage.list`).
 */
import { DAY_MS, HOUR_MS } from '../clock.js';
import type { RouteContext } from '../context.js';
import { badRequest } from '../errors.js';
import { parseRfc3339 } from '../query.js';

export const GROUP_BY = [
  'actor',
  'actor_type',
  'agent_id',
  'api_key_id',
  'claude_tag_category',
  'claude_tag_user_id',
  'context_window',
  'deployment_id',
  'environment_id',
  'inference_geo',
  'model',
  'organization_id',
  'product',
  'rbac_group_id',
  'service_tier',
  'session_id',
  'slack_channel_id',
  'speed',
  'user_profile_id',
  'workspace_id',
] as const;
export type Dim = (typeof GROUP_BY)[number];

const ORDER_BY = ['output_tokens', 'requests', 'time', 'total_tokens', 'uncached_input_tokens'] as const;
const BUCKET_MS: Record<string, number> = { '1d': DAY_MS, '1h': HOUR_MS, '1m': 60_000 };

/** `param[]` filter → the dimension it constrains. Filters on dimensions the sim never fills match nothing. */
const FILTERS: Record<string, Dim> = {
  api_key_ids: 'api_key_id',
  workspace_ids: 'workspace_id',
  models: 'model',
  products: 'product',
  service_tiers: 'service_tier',
  context_windows: 'context_window',
  inference_geos: 'inference_geo',
  speeds: 'speed',
  actor_types: 'actor_type',
  agent_ids: 'agent_id',
  deployment_ids: 'deployment_id',
  environment_ids: 'environment_id',
  session_ids: 'session_id',
  user_profile_ids: 'user_profile_id',
  rbac_group_ids: 'rbac_group_id',
  slack_channel_ids: 'slack_channel_id',
  claude_tag_categories: 'claude_tag_category',
  claude_tag_user_ids: 'claude_tag_user_id',
  organization_ids: 'organization_id',
};

export interface UsageRequest {
  from: number;
  to: number;
  bucketMs: number | undefined;
  groupBy: Dim[];
  filters: Map<Dim, Set<string>>;
  actorIds: Set<string> | undefined;
  excludeDeletedUsers: boolean;
  limit: number;
  orderBy: (typeof ORDER_BY)[number];
  order: 'asc' | 'desc';
}

export function parseUsageRequest(ctx: RouteContext): UsageRequest {
  const q = ctx.query;
  const rawStart = q.get('starting_at');
  if (rawStart === undefined) throw badRequest('starting_at: Field required');
  const start = timestamp(rawStart, 'starting_at');
  const earliest = Date.parse(ctx.sim.config.usage.earliest);
  if (start < earliest) throw badRequest(`starting_at must be no earlier than ${ctx.sim.config.usage.earliest}.`);
  if (start < ctx.now - 365 * DAY_MS) throw badRequest('starting_at must be within the last 365 days.');
  const width = q.get('time_bucket_width');
  if (width !== undefined && !(width in BUCKET_MS))
    throw badRequest(`time_bucket_width: Input should be '1d', '1h' or '1m'. Got '${width}'.`);
  const bucketMs = width === undefined ? undefined : BUCKET_MS[width];
  const rawEnd = q.get('ending_at');
  if (bucketMs !== undefined && rawEnd === undefined)
    throw badRequest('ending_at is required when time_bucket_width is set.');
  let end = rawEnd === undefined ? Math.min(ctx.now, start + 31 * DAY_MS) : timestamp(rawEnd, 'ending_at');
  if (end <= start) throw badRequest('ending_at must be after starting_at.');
  if (end - start > 31 * DAY_MS) throw badRequest('The range from starting_at to ending_at may span at most 31 days.');
  if (width === '1m' && end - start > DAY_MS)
    throw badRequest('With time_bucket_width=1m the range may span at most 24 hours.');

  let from: number;
  if (bucketMs === undefined) {
    // Without buckets the report covers whole hours.
    from = Math.floor(start / HOUR_MS) * HOUR_MS;
    end = Math.floor(end / HOUR_MS) * HOUR_MS;
  } else {
    from = Math.floor(start / bucketMs) * bucketMs;
    end = Math.ceil(end / bucketMs) * bucketMs;
  }

  const groupBy = q.list('group_by');
  if (groupBy.length > 5) throw badRequest('group_by: at most 5 dimensions may be requested.');
  for (const g of groupBy)
    if (!(GROUP_BY as readonly string[]).includes(g)) throw badRequest(`group_by: unsupported dimension '${g}'.`);
  const filters = new Map<Dim, Set<string>>();
  for (const [param, dim] of Object.entries(FILTERS)) {
    const values = q.list(param);
    if (values.length) filters.set(dim, new Set(values));
  }
  const actorIds = q.list('actor_ids');
  const excludeDeletedUsers = q.bool('exclude_deleted_users') ?? false;
  if (excludeDeletedUsers && !groupBy.includes('actor'))
    throw badRequest('exclude_deleted_users requires group_by[]=actor.');
  const orderBy = q.get('order_by') ?? 'total_tokens';
  if (!(ORDER_BY as readonly string[]).includes(orderBy)) throw badRequest(`order_by: unsupported value '${orderBy}'.`);
  const order = q.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw badRequest(`order: Input should be 'asc' or 'desc'. Got '${order}'.`);
  return {
    from,
    to: end,
    bucketMs,
    groupBy: groupBy as Dim[],
    filters,
    actorIds: actorIds.length ? new Set(actorIds) : undefined,
    excludeDeletedUsers,
    limit: q.int('limit', 20, 1, 1000),
    orderBy: orderBy as UsageRequest['orderBy'],
    order,
  };
}

function timestamp(raw: string, name: string): number {
  const ms = parseRfc3339(raw);
  if (ms === undefined)
    throw badRequest(`${name}: Input should be a valid RFC 3339 datetime with a time zone. Got '${raw}'.`);
  return ms;
}
