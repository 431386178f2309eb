import { z } from 'zod';
import { adminError } from '../admin-errors.js';
import type { Route, RouteContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { render } from '../render.js';
import type { SimApiKey } from '../state/types.js';
import { newestFirstPage, parseBody } from './common.js';

const STATUSES = ['active', 'archived', 'expired', 'inactive'];
const updateBody = z
  .object({
    name: z.string().min(1).max(500).nullable().optional(),
    status: z.enum(['active', 'archived', 'inactive']).nullable().optional(),
  })
  .strict();

function requireKey(ctx: RouteContext, id: string): SimApiKey {
  const k = ctx.sim.state.apiKey(id);
  if (!k) throw notFound(`API key '${id}' not found.`);
  return k;
}

/** `client.organization.apiKeys` → `/v1/organizations/api_keys[/{api_key_id}]`. */
export const apiKeyRoutes: Route[] = [
  {
    op: 'apiKeys.list',
    method: 'GET',
    pattern: '/v1/organizations/api_keys',
    realm: 'admin',
    handle(ctx) {
      const { state, config } = ctx.sim;
      const status = ctx.query.get('status');
      if (status !== undefined && !STATUSES.includes(status)) {
        throw badRequest(`status: Input should be 'active', 'archived', 'expired' or 'inactive'. Got '${status}'.`);
      }
      const workspaceId = ctx.query.get('workspace_id');
      const createdBy = ctx.query.get('created_by_user_id');
      const keys = [...state.apiKeys.values()].filter(
        (k) =>
          (status === undefined || state.apiKeyStatus(k) === status) &&
          (workspaceId === undefined || k.workspaceId === workspaceId) &&
          (createdBy === undefined || (k.createdBy?.type === 'user' && k.createdBy.id === createdBy)),
      );
      return newestFirstPage(ctx.query, keys, {
        idOf: (k) => k.id,
        lookup: (id) => state.apiKey(id),
        render: (k) => render.apiKey(state, config, k),
      });
    },
  },
  {
    op: 'apiKeys.retrieve',
    method: 'GET',
    pattern: '/v1/organizations/api_keys/{api_key_id}',
    realm: 'admin',
    handle(ctx) {
      return { body: render.apiKey(ctx.sim.state, ctx.sim.config, requireKey(ctx, ctx.params['api_key_id']!)) };
    },
  },
  {
    op: 'apiKeys.update',
    method: 'POST',
    pattern: '/v1/organizations/api_keys/{api_key_id}',
    realm: 'admin',
    handle(ctx) {
      const { state, config } = ctx.sim;
      const k = requireKey(ctx, ctx.params['api_key_id']!);
      const body = parseBody(updateBody, ctx.body);
      const current = state.apiKeyStatus(k);
      if (current === 'archived') throw badRequest(`API key '${k.id}' is archived and cannot be updated.`);
      if (current === 'expired' && body.status === 'active')
        throw badRequest(`API key '${k.id}' has expired and cannot be reactivated.`);
      if (body.status === 'active' && current !== 'active') checkActiveKeyLimits(ctx, k);
      // One `platform_api_key_updated` with the documented `updates` list
      // (https://platform.claude.com/docs/en/api/compliance/activities/list).
      const updates: { type: 'name' | 'status'; previous_value: string; current_value: string }[] = [];
      if (body.name != null && body.name !== k.name) {
        updates.push({ type: 'name', previous_value: k.name, current_value: body.name });
        k.name = body.name;
      }
      if (body.status != null && body.status !== k.status) {
        updates.push({ type: 'status', previous_value: k.status, current_value: body.status });
        k.status = body.status;
      }
      if (updates.length) ctx.emit('mutation', 'platform_api_key_updated', { api_key_id: k.id, updates });
      return { body: render.apiKey(state, config, k) };
    },
  },
];

/**
 * `org_api_key_limit_exceeded` / `workspace_api_key_limit_exceeded` (SDK 1.16 `apiKeys.update`
 * @throws): "The organization/workspace has reached its limit of active API keys." The limits are
 * not published; `config.limits` sets them (null: none).
 */
function checkActiveKeyLimits(ctx: RouteContext, k: SimApiKey): void {
  const { state, config } = ctx.sim;
  const active = [...state.apiKeys.values()].filter((x) => x !== k && state.apiKeyStatus(x) === 'active');
  const org = config.limits.orgActiveApiKeys;
  if (org !== null && active.length >= org) throw adminError('org_api_key_limit_exceeded');
  const ws = config.limits.workspaceActiveApiKeys;
  if (ws !== null && k.workspaceId !== null && active.filter((x) => x.workspaceId === k.workspaceId).length >= ws)
    throw adminError('workspace_api_key_limit_exceeded');
}
