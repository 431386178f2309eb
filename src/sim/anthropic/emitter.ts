import { actors, type Actor } from './compliance/actors.js';
import type { AuthInfo, SimCore } from './context.js';

export interface CallOrigin {
  auth: AuthInfo;
  ip: string;
  userAgent: string;
}

/**
 * What the real feed records about calls to the APIs themselves: Compliance API reads
 * as `api_actor` (for both key kinds), Admin API key calls as `admin_api_key_actor`.
 */
export function emitActivity(
  sim: SimCore,
  origin: CallOrigin,
  kind: 'mutation' | 'read' | 'compliance',
  type: string,
  fields: Record<string, unknown> = {},
): void {
  const on =
    kind === 'compliance'
      ? sim.config.emit.complianceAccess
      : kind === 'mutation'
        ? sim.config.emit.adminMutations
        : sim.config.emit.adminReads;
  if (!on) return;
  const actor = actorFor(sim, origin, kind === 'compliance');
  if (!actor) return;
  // Compliance API calls are not tied to an organisation; admin actions are.
  const org = kind === 'compliance' ? { organization_id: null, organization_uuid: null } : {};
  sim.feed.add({ ...org, ...fields, actor, type });
}

function actorFor(sim: SimCore, origin: CallOrigin, compliance: boolean): Actor | undefined {
  const extra = { ip_address: origin.ip, user_agent: origin.userAgent };
  const { config } = sim;
  switch (origin.auth.credential) {
    case 'admin':
      return compliance ? actors.api(config.adminKeyId, extra) : actors.adminApiKey(config.adminKeyId, extra);
    case 'compliance':
      return actors.api(config.complianceKeyId, extra);
    case 'oauth': {
      const user = config.oauthUserId ? sim.state.user(config.oauthUserId) : undefined;
      return { type: 'user_actor', email_address: user?.email ?? null, user_id: config.oauthUserId, ...extra };
    }
    default:
      return undefined;
  }
}
