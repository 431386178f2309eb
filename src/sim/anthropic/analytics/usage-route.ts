import { DAY_MS, HOUR_MS, iso } from '../clock.js';
import type { Route, RouteContext } from '../context.js';
import { badRequest } from '../errors.js';
import { decodePageToken, encodePageToken } from '../pagination.js';
import { parseRfc3339 } from '../query.js';
import type { UsageRow } from './usage-store.js';

const BETA = 'analytics-usage-cost-2026-08-24';

const GROUP_BY = [
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
type Dim = (typeof GROUP_BY)[number];

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

type Totals = Pick<UsageRow, 'requests' | 'uncached' | 'output' | 'cacheRead' | 'cache1h' | 'cache5m' | 'webSearch'>;

/** `client.beta.organization.analytics.usage.list` → `GET /v1/organizations/analytics/usage` (ReportPageCursor). */
export const usageRoutes: Route[] = [
  {
    op: 'analytics.usage',
    method: 'GET',
    pattern: '/v1/organizations/analytics/usage',
    realm: 'usage',
    handle(ctx) {
      const betas = String(ctx.headers['anthropic-beta'] ?? '')
        .split(',')
        .map((s) => s.trim());
      if (!betas.includes(BETA))
        throw badRequest(`This endpoint is in beta: requests must send \`anthropic-beta: ${BETA}\`.`);
      const req = parseUsageRequest(ctx);
      const rows = report(ctx, req);
      const offset = decodePageToken<number>(ctx.query) ?? 0;
      const page = rows.slice(offset, offset + req.limit);
      const more = offset + req.limit < rows.length;
      ctx.emit('read', 'platform_usage_report_messages_viewed');
      return {
        body: {
          data: page,
          has_more: more,
          next_page: more ? encodePageToken(offset + req.limit, ctx.query) : null,
          data_refreshed_at: iso(Math.floor((ctx.now - ctx.sim.config.usage.lagMs) / HOUR_MS) * HOUR_MS),
        },
      };
    },
  },
];

interface UsageRequest {
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

function parseUsageRequest(ctx: RouteContext): UsageRequest {
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

function report(ctx: RouteContext, req: UsageRequest): Record<string, unknown>[] {
  const visibleBefore = ctx.now - ctx.sim.config.usage.lagMs;
  const groups = new Map<string, { start: number; end: number; dims: Record<string, unknown>; totals: Totals }>();
  for (const row of ctx.sim.usage.range(req.from, req.to)) {
    if (row.at > visibleBefore) continue;
    const dims = dimensions(ctx, row);
    if (!passes(dims, req)) continue;
    const start = req.bucketMs === undefined ? req.from : Math.floor(row.at / req.bucketMs) * req.bucketMs;
    const end = req.bucketMs === undefined ? req.to : start + req.bucketMs;
    const picked: Record<string, unknown> = {};
    for (const g of req.groupBy) picked[g] = dims[g] ?? null;
    const key = JSON.stringify([start, picked]);
    let g = groups.get(key);
    if (!g)
      groups.set(
        key,
        (g = {
          start,
          end,
          dims: picked,
          totals: { requests: 0, uncached: 0, output: 0, cacheRead: 0, cache1h: 0, cache5m: 0, webSearch: 0 },
        }),
      );
    const t = g.totals;
    t.requests += row.requests;
    t.uncached += row.uncached;
    t.output += row.output;
    t.cacheRead += row.cacheRead;
    t.cache1h += row.cache1h;
    t.cache5m += row.cache5m;
    t.webSearch += row.webSearch;
  }
  const rows = [...groups.values()];
  const total = (t: Totals) => t.uncached + t.output + t.cacheRead + t.cache1h + t.cache5m;
  const metric = (t: Totals): number =>
    req.orderBy === 'requests'
      ? t.requests
      : req.orderBy === 'output_tokens'
        ? t.output
        : req.orderBy === 'uncached_input_tokens'
          ? t.uncached
          : total(t);
  const dir = req.order === 'asc' ? 1 : -1;
  rows.sort((a, b) => {
    if (req.orderBy === 'time' && req.bucketMs !== undefined && a.start !== b.start) return dir * (a.start - b.start);
    const byMetric =
      req.orderBy === 'time' ? total(b.totals) - total(a.totals) : dir * (metric(a.totals) - metric(b.totals));
    return byMetric || a.start - b.start || JSON.stringify(a.dims).localeCompare(JSON.stringify(b.dims));
  });
  return rows.map((r) => ({
    starting_at: iso(r.start),
    ending_at: iso(r.end),
    group: Object.fromEntries(GROUP_BY.map((d) => [d, r.dims[d] ?? null])),
    usage: {
      uncached_input_tokens: r.totals.uncached,
      cache_read_input_tokens: r.totals.cacheRead,
      cache_creation: { ephemeral_1h_input_tokens: r.totals.cache1h, ephemeral_5m_input_tokens: r.totals.cache5m },
      output_tokens: r.totals.output,
      server_tool_use: { web_search_requests: r.totals.webSearch },
      requests: r.totals.requests,
      total_tokens: total(r.totals),
    },
  }));
}

/** The dimension values of one row, with the actor resolved from the key's principal now. */
function dimensions(ctx: RouteContext, row: UsageRow): Record<string, unknown> {
  const key = row.apiKeyId ? ctx.sim.state.apiKey(row.apiKeyId) : undefined;
  let actor: Record<string, unknown> | null = null;
  if (key?.principal?.type === 'user_actor') {
    const user = ctx.sim.state.user(key.principal.user_id);
    actor = {
      type: 'user_actor',
      user_id: key.principal.user_id,
      email_address: user?.email ?? null,
      name: user?.name ?? null,
      deleted: !user || user.removedAt !== null,
    };
  } else if (key?.principal?.type === 'service_account_actor') {
    actor = { type: 'service_account_actor', service_account_id: key.principal.service_account_id };
  } else if (row.apiKeyId) {
    actor = { type: 'api_actor', api_key_id: row.apiKeyId };
  }
  return {
    actor,
    actor_type: actor?.['type'] ?? null,
    api_key_id: row.apiKeyId,
    workspace_id: row.workspaceId,
    model: row.model,
    product: row.product,
    service_tier: row.serviceTier,
    context_window: row.contextWindow,
    inference_geo: row.inferenceGeo,
    speed: row.speed,
  };
}

function passes(dims: Record<string, unknown>, req: UsageRequest): boolean {
  for (const [dim, values] of req.filters) {
    const v = dims[dim];
    if (v === null || v === undefined) {
      // `api_key_ids[]=` (an empty entry) also matches usage no key authenticated.
      if (!(dim === 'api_key_id' && values.has(''))) return false;
    } else if (!values.has(typeof v === 'string' ? v : JSON.stringify(v))) return false;
  }
  const a = dims['actor'] as Record<string, unknown> | null;
  if (req.excludeDeletedUsers && a?.['type'] === 'user_actor' && a['deleted'] === true) return false;
  if (req.actorIds) {
    const id = a?.['user_id'] ?? a?.['service_account_id'] ?? a?.['api_key_id'];
    if (typeof id !== 'string' || !req.actorIds.has(id)) return false;
  }
  return true;
}
