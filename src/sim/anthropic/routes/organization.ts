import type { Route } from '../context.js';

/** `client.organization.retrieve` → `GET /v1/organizations/me`. */
export const organizationRoutes: Route[] = [
  {
    op: 'organization.retrieve',
    method: 'GET',
    pattern: '/v1/organizations/me',
    realm: 'admin',
    handle(ctx) {
      const { org } = ctx.sim.state;
      return { body: { id: org.uuid, type: 'organization', name: org.name } };
    },
  },
];
