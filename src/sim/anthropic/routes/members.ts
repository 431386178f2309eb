import { z } from 'zod';
import type { Route, RouteContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { render } from '../render.js';
import { memberKey } from '../state/org-state.js';
import type { SimWorkspace, SimWorkspaceMember } from '../state/types.js';
import { newestFirstPage, parseBody } from './common.js';
import { requireWorkspace } from './workspaces.js';

const ROLES = [
  'workspace_admin',
  'workspace_billing',
  'workspace_developer',
  'workspace_restricted_developer',
  'workspace_user',
] as const;
const updateBody = z.object({ workspace_role: z.enum(ROLES) }).strict();
const addBody = z
  .object({
    user_id: z.string(),
    workspace_role: z.enum(ROLES).refine((r) => r !== 'workspace_billing', 'Cannot be workspace_billing'),
  })
  .strict();

function requireMember(ctx: RouteContext, ws: SimWorkspace, userId: string): SimWorkspaceMember {
  const m = ctx.sim.state.member(ws.id, userId);
  if (!m) throw notFound(`User '${userId}' is not a member of workspace '${ws.id}'.`);
  return m;
}

function writable(ws: SimWorkspace): SimWorkspace {
  if (ws.archivedAt !== null) throw badRequest(`Workspace '${ws.id}' is archived.`);
  return ws;
}

/** The member a path names, in a workspace that is not archived (the only kind whose members change). */
function writableMember(ctx: RouteContext): { ws: SimWorkspace; m: SimWorkspaceMember } {
  const ws = writable(requireWorkspace(ctx, ctx.params['workspace_id']!));
  return { ws, m: requireMember(ctx, ws, ctx.params['user_id']!) };
}

/** `client.organization.workspaces.members` → `/v1/organizations/workspaces/{workspace_id}/members[/{user_id}]`. */
export const memberRoutes: Route[] = [
  {
    op: 'workspaces.members.list',
    method: 'GET',
    pattern: '/v1/organizations/workspaces/{workspace_id}/members',
    realm: 'admin',
    handle(ctx) {
      const ws = requireWorkspace(ctx, ctx.params['workspace_id']!);
      const { state } = ctx.sim;
      const members = [...state.members.values()].filter((m) => m.workspaceId === ws.id && m.removedAt === null);
      ctx.emit('read', 'platform_workspace_members_listed', { workspace_id: ws.id });
      return newestFirstPage(ctx.query, members, {
        idOf: (m) => m.userId,
        lookup: (userId) => state.members.get(memberKey(ws.id, userId)),
        render: (m) => render.member(m),
      });
    },
  },
  {
    op: 'workspaces.members.retrieve',
    method: 'GET',
    pattern: '/v1/organizations/workspaces/{workspace_id}/members/{user_id}',
    realm: 'admin',
    handle(ctx) {
      const ws = requireWorkspace(ctx, ctx.params['workspace_id']!);
      const m = requireMember(ctx, ws, ctx.params['user_id']!);
      ctx.emit('read', 'platform_workspace_member_viewed', { workspace_id: ws.id, user_id: m.userId });
      return { body: render.member(m) };
    },
  },
  {
    op: 'workspaces.members.add',
    method: 'POST',
    pattern: '/v1/organizations/workspaces/{workspace_id}/members',
    realm: 'admin',
    handle(ctx) {
      const ws = writable(requireWorkspace(ctx, ctx.params['workspace_id']!));
      const body = parseBody(addBody, ctx.body);
      const user = ctx.sim.state.user(body.user_id);
      if (!user || user.removedAt !== null) throw notFound(`User '${body.user_id}' not found.`);
      if (ctx.sim.state.member(ws.id, user.id))
        throw badRequest(`User '${user.id}' is already a member of workspace '${ws.id}'.`);
      const m = ctx.sim.state.addWorkspaceMember({ workspaceId: ws.id, userId: user.id, role: body.workspace_role });
      ctx.emit('mutation', 'platform_workspace_member_added', {
        workspace_id: ws.id,
        user_id: user.id,
        workspace_role: m.role,
      });
      return { body: render.member(m) };
    },
  },
  {
    op: 'workspaces.members.update',
    method: 'POST',
    pattern: '/v1/organizations/workspaces/{workspace_id}/members/{user_id}',
    realm: 'admin',
    handle(ctx) {
      const { ws, m } = writableMember(ctx);
      const { workspace_role } = parseBody(updateBody, ctx.body);
      const previous = m.role;
      m.role = workspace_role;
      if (previous !== workspace_role) {
        ctx.emit('mutation', 'platform_workspace_member_updated', {
          workspace_id: ws.id,
          user_id: m.userId,
          previous_workspace_role: previous,
          workspace_role,
        });
      }
      return { body: render.member(m) };
    },
  },
  {
    op: 'workspaces.members.remove',
    method: 'DELETE',
    pattern: '/v1/organizations/workspaces/{workspace_id}/members/{user_id}',
    realm: 'admin',
    handle(ctx) {
      const { ws, m } = writableMember(ctx);
      m.removedAt = ctx.now;
      ctx.emit('mutation', 'platform_workspace_member_removed', { workspace_id: ws.id, user_id: m.userId });
      return { body: { type: 'workspace_member_deleted', user_id: m.userId, workspace_id: ws.id } };
    },
  },
];
