import { z } from 'zod';
import type { Route, RouteContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { render } from '../render.js';
import type { SimInvite } from '../state/types.js';
import { newestFirstPage, parseBody } from './common.js';

const createBody = z
  .object({
    email: z.string().email(),
    role: z.enum(['billing', 'claude_code_user', 'developer', 'managed', 'user']),
    rbac_group_ids: z.array(z.string()).optional(),
  })
  .strict();

function liveInvite(ctx: RouteContext, id: string): SimInvite {
  const i = ctx.sim.state.invites.get(id);
  if (!i || i.deletedAt !== null) throw notFound(`Invite '${id}' not found.`);
  return i;
}

/** `client.organization.invites` → `/v1/organizations/invites[/{invite_id}]`. */
export const inviteRoutes: Route[] = [
  {
    op: 'invites.list',
    method: 'GET',
    pattern: '/v1/organizations/invites',
    realm: 'admin',
    handle(ctx) {
      const { state } = ctx.sim;
      const email = ctx.query.get('email')?.trim().toLowerCase();
      const roles = ctx.query.list('roles');
      const statuses = ctx.query.list('statuses');
      for (const s of statuses) {
        if (!['accepted', 'expired', 'pending'].includes(s))
          throw badRequest(`statuses: Input should be 'accepted', 'expired' or 'pending'. Got '${s}'.`);
      }
      const invites = [...state.invites.values()].filter((i) => {
        const status = state.inviteStatus(i);
        return (
          status !== 'deleted' &&
          (email === undefined || i.email.toLowerCase() === email) &&
          (!roles.length || roles.includes(i.role)) &&
          (!statuses.length || statuses.includes(status))
        );
      });
      ctx.emit('read', 'org_invites_listed');
      return newestFirstPage(ctx.query, invites, {
        idOf: (i) => i.id,
        lookup: (id) => state.invites.get(id),
        render: (i) => render.invite(state, i),
      });
    },
  },
  {
    op: 'invites.retrieve',
    method: 'GET',
    pattern: '/v1/organizations/invites/{invite_id}',
    realm: 'admin',
    handle(ctx) {
      const i = liveInvite(ctx, ctx.params['invite_id']!);
      ctx.emit('read', 'org_invite_viewed', { invite_id: i.id });
      return { body: render.invite(ctx.sim.state, i) };
    },
  },
  {
    op: 'invites.create',
    method: 'POST',
    pattern: '/v1/organizations/invites',
    realm: 'admin',
    handle(ctx) {
      const { state } = ctx.sim;
      const body = parseBody(createBody, ctx.body);
      const email = body.email.toLowerCase();
      const member = state.activeUsers().find((u) => u.email.toLowerCase() === email);
      if (member)
        throw badRequest(`${body.email} is already a member of the organization (${member.id}).`, {
          error_code: 'already_member',
        });
      const pending = [...state.invites.values()].find(
        (i) => i.email.toLowerCase() === email && state.inviteStatus(i) === 'pending',
      );
      if (pending)
        throw badRequest(`A pending invite already exists for ${body.email} (${pending.id}).`, {
          error_code: 'invite_already_exists',
        });
      const invite = state.addInvite({ email: body.email, role: body.role, rbacGroupIds: body.rbac_group_ids ?? [] });
      ctx.emit('mutation', 'org_user_invite_sent', { invite_id: invite.id, email_address: invite.email });
      return { body: render.invite(state, invite) };
    },
  },
  {
    op: 'invites.delete',
    method: 'DELETE',
    pattern: '/v1/organizations/invites/{invite_id}',
    realm: 'admin',
    handle(ctx) {
      const i = liveInvite(ctx, ctx.params['invite_id']!);
      if (ctx.sim.state.inviteStatus(i) === 'accepted')
        throw badRequest(`Invite '${i.id}' has already been accepted and cannot be deleted.`);
      i.deletedAt = ctx.now;
      ctx.emit('mutation', 'org_user_invite_deleted', { invite_id: i.id, email_address: i.email });
      return { body: { id: i.id, type: 'invite_deleted' } };
    },
  },
];
