import { actors, type Actor } from './compliance/actors.js';
import { apiActorIdOfAdminKey } from './config.js';
import type { AuthInfo, SimCore } from './context.js';

export interface CallOrigin {
  auth: AuthInfo;
  ip: string;
  userAgent: string;
}

export type EmitKind = 'mutation' | 'read' | 'compliance';

/**
 * What the real feed records about calls to the APIs themselves
 * (https://platform.claude.com/docs/en/manage-claude/compliance-activity-feed#understand-the-activity-object):
 * Compliance API reads as `api_actor` "for both Compliance Access Keys and Admin API keys", Admin
 * API key calls as `admin_api_key_actor`. The same Admin key is `admin_api_key_…` in the one and
 * `apikey_…` (same suffix) in the other, as issue 13 reports of the live feed. Nothing is
 * recorded while the Compliance API is off ("While the Compliance API is off, no activity events
 * are recorded", https://platform.claude.com/docs/en/manage-claude/compliance-api-access).
 */
export function emitActivity(
  sim: SimCore,
  origin: CallOrigin,
  kind: EmitKind,
  type: string,
  fields: Record<string, unknown> = {},
): void {
  if (!sim.config.complianceEnabled) return;
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
  const org =
    kind === 'compliance'
      ? { organization_id: null, organization_uuid: null }
      : { organization_id: sim.state.org.id, organization_uuid: sim.state.org.uuid };
  sim.feed.add({ ...org, ...fields, actor, type });
}

function actorFor(sim: SimCore, origin: CallOrigin, compliance: boolean): Actor | undefined {
  const extra = { ip_address: origin.ip, user_agent: origin.userAgent };
  const { config } = sim;
  switch (origin.auth.credential) {
    case 'admin': {
      const id = origin.auth.keyId ?? config.adminKeyId;
      return compliance ? actors.api(apiActorIdOfAdminKey(id), extra) : actors.adminApiKey(id, extra);
    }
    case 'compliance':
      return actors.api(origin.auth.keyId ?? config.complianceKeyId, extra);
    case 'oauth': {
      if (config.oauthServiceAccountId) return actors.serviceAccount(config.oauthServiceAccountId, extra);
      const user = config.oauthUserId ? sim.state.user(config.oauthUserId) : undefined;
      return { type: 'user_actor', email_address: user?.email ?? null, user_id: config.oauthUserId, ...extra };
    }
    default:
      return undefined;
  }
}
