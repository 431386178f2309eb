import type { Route, RouteContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { render } from '../render.js';
import type { SimWorkspace } from '../state/types.js';
import { newestFirstPage } from './common.js';

export function requireWorkspace(ctx: RouteContext, id: string): SimWorkspace {
  const w = ctx.sim.state.workspaces.get(id);
  if (!w) throw notFound(`Workspace '${id}' not found.`);
  return w;
}

/** `client.organization.workspaces` → `/v1/organizations/workspaces[/{workspace_id}[/archive]]`. */
export const workspaceRoutes: Route[] = [
  {
    op: 'workspaces.list',
    method: 'GET',
    pattern: '/v1/organizations/workspaces',
    realm: 'admin',
    handle(ctx) {
      const { state } = ctx.sim;
      const includeArchived = ctx.query.bool('include_archived') ?? false;
      const includeDefault = ctx.query.bool('include_default') ?? false;
      const ids = ctx.query.list('ids');
      if (ids.length > 100) throw badRequest('ids: at most 100 workspace IDs may be given.');
      const wanted = ids.length ? new Set(ids) : undefined;
      const list = [...state.workspaces.values()].filter(
        (w) =>
          (includeArchived || w.archivedAt === null) &&
          (includeDefault || !w.isDefault) &&
          (!wanted || wanted.has(w.id)),
      );
      return newestFirstPage(ctx.query, list, {
        idOf: (w) => w.id,
        lookup: (id) => state.workspaces.get(id),
        render: (w) => render.workspace(w),
      });
    },
  },
  {
    op: 'workspaces.retrieve',
    method: 'GET',
    pattern: '/v1/organizations/workspaces/{workspace_id}',
    realm: 'admin',
    handle(ctx) {
      return { body: render.workspace(requireWorkspace(ctx, ctx.params['workspace_id']!)) };
    },
  },
  {
    op: 'workspaces.archive',
    method: 'POST',
    pattern: '/v1/organizations/workspaces/{workspace_id}/archive',
    realm: 'admin',
    handle(ctx) {
      const w = requireWorkspace(ctx, ctx.params['workspace_id']!);
      if (w.isDefault) throw badRequest('The default workspace cannot be archived.');
      if (w.archivedAt === null) {
        w.archivedAt = ctx.now;
        // Archiving a workspace archives its API keys.
        for (const k of ctx.sim.state.apiKeys.values()) if (k.workspaceId === w.id) k.status = 'archived';
        ctx.emit('mutation', 'platform_workspace_archived', { workspace_id: w.id });
      }
      return { body: render.workspace(w) };
    },
  },
];
