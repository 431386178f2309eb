/**
 * The usage report itself: rows visible after the reporting lag, filtered, grouped by time
 * bucket and the requested dimensions, summed, ordered, and rendered in the endpoint's shape.
 * A row's actor is resolved from its key's principal at the time of the request.
 */
import { iso } from '../clock.js';
import type { RouteContext } from '../context.js';
import { GROUP_BY, type UsageRequest } from './usage-request.js';
import type { UsageRow } from './usage-store.js';

type Totals = Pick<UsageRow, 'requests' | 'uncached' | 'output' | 'cacheRead' | 'cache1h' | 'cache5m' | 'webSearch'>;

export function report(ctx: RouteContext, req: UsageRequest): Record<string, unknown>[] {
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
