import { z } from 'zod';
import type { Route, RouteContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { decodePageToken, encodePageToken } from '../pagination.js';
import { render } from '../render.js';
import { newestFirst } from '../state/org-state.js';
import type { SimServiceAccount } from '../state/types.js';
import { archiveServiceAccountKeys } from '../state/key-effects.js';
import { parseBody } from './common.js';

const updateBody = z
  .object({
    description: z.string().nullable().optional(),
    organization_role: z.enum(['admin', 'developer']).nullable().optional(),
  })
  .strict();

function requireAccount(ctx: RouteContext, id: string): SimServiceAccount {
  const s = ctx.sim.state.serviceAccounts.get(id);
  if (!s) throw notFound(`Service account '${id}' not found.`);
  return s;
}

function actorId(ctx: RouteContext): string | null {
  return ctx.auth.credential === 'oauth' ? ctx.sim.config.oauthUserId : null;
}

/**
 * `client.organization.serviceAccounts` → `/v1/organizations/service_accounts…`.
 * These endpoints take an `org:admin` OAuth token only (realm `oauth_admin`).
 */
export const serviceAccountRoutes: Route[] = [
  {
    op: 'serviceAccounts.list',
    method: 'GET',
    pattern: '/v1/organizations/service_accounts',
    realm: 'oauth_admin',
    handle(ctx) {
      const q = ctx.query;
      const limit = q.int('limit', 20, 1, 1000);
      const includeArchived = q.bool('include_archived') ?? false;
      const after = decodePageToken<{ createdAt: number; seq: number }>(q);
      const all = [...ctx.sim.state.serviceAccounts.values()]
        .filter((s) => includeArchived || s.archivedAt === null)
        .sort(newestFirst);
      // Keyset cursor: stable even if accounts are created or archived between pages.
      const rest = after ? all.filter((s) => newestFirst(s, { id: '', ...after }) > 0) : all;
      const page = rest.slice(0, limit);
      const last = page[page.length - 1];
      return {
        body: {
          data: page.map((s) => render.serviceAccount(s)),
          next_page:
            rest.length > limit && last ? encodePageToken({ createdAt: last.createdAt, seq: last.seq }, q) : null,
        },
      };
    },
  },
  {
    op: 'serviceAccounts.retrieve',
    method: 'GET',
    pattern: '/v1/organizations/service_accounts/{service_account_id}',
    realm: 'oauth_admin',
    handle(ctx) {
      return { body: render.serviceAccount(requireAccount(ctx, ctx.params['service_account_id']!)) };
    },
  },
  {
    op: 'serviceAccounts.update',
    method: 'POST',
    pattern: '/v1/organizations/service_accounts/{service_account_id}',
    realm: 'oauth_admin',
    handle(ctx) {
      const s = requireAccount(ctx, ctx.params['service_account_id']!);
      if (s.archivedAt !== null) throw badRequest(`Service account '${s.id}' is archived and cannot be updated.`);
      const body = parseBody(updateBody, ctx.body);
      // `null` description clears it (stored as an empty string); `null` role leaves it unchanged.
      if (body.description !== undefined) s.description = body.description ?? '';
      if (body.organization_role != null) s.organizationRole = body.organization_role;
      s.updatedAt = ctx.now;
      s.updatedByActorId = actorId(ctx);
      ctx.emit('mutation', 'platform_service_account_updated', { service_account_id: s.id });
      return { body: render.serviceAccount(s) };
    },
  },
  {
    op: 'serviceAccounts.archive',
    method: 'POST',
    pattern: '/v1/organizations/service_accounts/{service_account_id}/archive',
    realm: 'oauth_admin',
    handle(ctx) {
      const s = requireAccount(ctx, ctx.params['service_account_id']!);
      // Idempotent: re-archiving returns the original archived_at.
      if (s.archivedAt === null) {
        if (s.liveFederationRules > 0) {
          throw badRequest(
            `Service account '${s.id}' is still the target of ${s.liveFederationRules} live federation rule(s); archive those rules or retarget them first.`,
          );
        }
        s.archivedAt = ctx.now;
        s.archivedByActorId = actorId(ctx);
        s.updatedAt = ctx.now;
        ctx.emit('mutation', 'platform_service_account_archived', { service_account_id: s.id });
      }
      // Its API keys are archived too, and a repeat finishes any left (see archiveServiceAccountKeys).
      archiveServiceAccountKeys(ctx.sim.state, s.id, ctx.emit);
      return { body: render.serviceAccount(s) };
    },
  },
];
