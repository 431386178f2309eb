import { z } from 'zod';
import type { Route } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { render } from '../render.js';
import type { SimUser } from '../state/types.js';
import { signOutAndTurnOffKeys } from '../state/key-effects.js';
import { newestFirstPage, parseBody } from './common.js';

const ASSIGNABLE = {
  api: ['user', 'developer', 'billing', 'claude_code_user'],
  enterprise: ['user', 'managed'],
} as const;

const ADMIN_ROLES: ReadonlySet<string> = new Set(['admin', 'owner', 'primary_owner']);

const updateBody = z.object({ role: z.enum(['billing', 'claude_code_user', 'developer', 'managed', 'user']) }).strict();

function activeUser(ctx: { sim: { state: { user(id: string): SimUser | undefined } } }, id: string): SimUser {
  const u = ctx.sim.state.user(id);
  if (!u || u.removedAt !== null) throw notFound(`User '${id}' not found.`);
  return u;
}

/** `client.organization.users` → `/v1/organizations/users[/{user_id}]`. */
export const userRoutes: Route[] = [
  {
    op: 'users.list',
    method: 'GET',
    pattern: '/v1/organizations/users',
    realm: 'admin',
    handle(ctx) {
      const email = ctx.query.get('email')?.trim().toLowerCase();
      const roles = ctx.query.list('roles');
      const users = ctx.sim.state
        .activeUsers()
        .filter(
          (u) => (email === undefined || u.email.toLowerCase() === email) && (!roles.length || roles.includes(u.role)),
        );
      ctx.emit('read', 'org_users_listed');
      return newestFirstPage(ctx.query, users, {
        idOf: (u) => u.id,
        lookup: (id) => ctx.sim.state.user(id),
        render: (u) => render.user(u),
      });
    },
  },
  {
    op: 'users.retrieve',
    method: 'GET',
    pattern: '/v1/organizations/users/{user_id}',
    realm: 'admin',
    handle(ctx) {
      const u = activeUser(ctx, ctx.params['user_id']!);
      ctx.emit('read', 'org_user_viewed', { user_id: u.id });
      return { body: render.user(u) };
    },
  },
  {
    op: 'users.update',
    method: 'POST',
    pattern: '/v1/organizations/users/{user_id}',
    realm: 'admin',
    handle(ctx) {
      const u = activeUser(ctx, ctx.params['user_id']!);
      const { role } = parseBody(updateBody, ctx.body);
      const allowed: readonly string[] = ASSIGNABLE[ctx.sim.config.orgType];
      if (!allowed.includes(role)) {
        throw badRequest(
          `role: '${role}' cannot be assigned in this organization; accepted values are ${allowed.map((r) => `'${r}'`).join(', ')}.`,
        );
      }
      if (ADMIN_ROLES.has(u.role)) {
        throw badRequest(`The role of a user with role '${u.role}' cannot be changed through the API.`);
      }
      const previous = u.role;
      u.role = role;
      if (previous !== role)
        ctx.emit('mutation', 'claude_user_role_updated', { user_id: u.id, previous_role: previous, role });
      return { body: render.user(u) };
    },
  },
  {
    op: 'users.remove',
    method: 'DELETE',
    pattern: '/v1/organizations/users/{user_id}',
    realm: 'admin',
    handle(ctx) {
      const u = activeUser(ctx, ctx.params['user_id']!);
      if (ADMIN_ROLES.has(u.role)) {
        // Documented: "members with the admin role cannot be removed through the API" (owners too).
        throw badRequest(`Organization members with the ${u.role} role cannot be removed through the API.`);
      }
      if (ctx.sim.state.activeUsers().length <= 1) {
        throw badRequest("The user is the organization's only member. Add another member before removing this one.", {
          error_code: 'cannot_remove_last_member',
        });
      }
      ctx.sim.state.removeUser(u.id);
      ctx.emit('mutation', 'org_user_deleted', { user_id: u.id, email_address: u.email });
      // Signs the user out and turns off their keys: see signOutAndTurnOffKeys for what is documented.
      signOutAndTurnOffKeys(ctx.sim.state, u.id, ctx.now, ctx.emit, {
        turnOffKeys: ctx.sim.config.sideEffects.userRemovalTurnsOffKeys,
      });
      return { body: { id: u.id, type: 'user_deleted' } };
    },
  },
];
