import { z } from 'zod';
import type { Route, RouteContext } from '../context.js';
import { parseBody } from './common.js';

const stateParam = z.union([
  z.enum(['enabled', 'disabled']),
  z.object({ type: z.enum(['enabled', 'disabled']) }).strict(),
]);
const updateBody = z.object({ state: stateParam }).strict();

function render(ctx: RouteContext) {
  return { type: 'compliance_settings', state: { type: ctx.sim.config.complianceEnabled ? 'enabled' : 'disabled' } };
}

/**
 * `client.organization.complianceSettings` → `/v1/organizations/compliance_settings` (SDK 1.16
 * `resources/organization/compliance-settings.d.ts`, same in 1.12): a singleton whose `state`
 * "reflects whether the Compliance API is enabled". Update accepts the object form or the string
 * shorthand, answers with the object form, and a request for the current value is a no-op. Tests
 * switch it with `sim.config.complianceEnabled`.
 */
export const complianceSettingsRoutes: Route[] = [
  {
    op: 'complianceSettings.retrieve',
    method: 'GET',
    pattern: '/v1/organizations/compliance_settings',
    realm: 'admin',
    handle: (ctx) => ({ body: render(ctx) }),
  },
  {
    op: 'complianceSettings.update',
    method: 'POST',
    pattern: '/v1/organizations/compliance_settings',
    realm: 'admin',
    handle(ctx) {
      const { state } = parseBody(updateBody, ctx.body);
      const enabled = (typeof state === 'string' ? state : state.type) === 'enabled';
      if (enabled !== ctx.sim.config.complianceEnabled) {
        // Recorded while the API is (or becomes) on; nothing is recorded while it is off.
        if (enabled) ctx.sim.config.complianceEnabled = true;
        ctx.emit('mutation', 'org_compliance_api_settings_updated');
        ctx.sim.config.complianceEnabled = enabled;
      }
      return { body: render(ctx) };
    },
  },
];
