import type { IncomingHttpHeaders } from 'node:http';
import { identify } from './auth.js';
import { resolveConfig, type SimConfig, type SimConfigInput } from './config.js';
import type { AuthInfo, SimCore } from './context.js';
import { buildOrgCore, type OrgCore, type SimState } from './org-core.js';
import type { SimOrg } from './state/types.js';

/**
 * Several organisations under one parent (issue 17). The facts, with their pages:
 * - An Admin API key acts on the one organisation it was created in: `GET /v1/organizations/me`
 *   "Retrieve information about the organization associated with the authenticated API key"
 *   (https://platform.claude.com/docs/en/api/admin/organizations/me), and Claude Console only
 *   shows the Console organisations linked beneath a parent, each with its own keys
 *   (https://platform.claude.com/docs/en/manage-claude/compliance-faq).
 * - The parent's primary owner creates Compliance Access Keys, which read the Activity Feed of
 *   every linked organisation (the same FAQ); an Admin API key with `read:compliance_activities`
 *   reads "your organization's" feed (https://platform.claude.com/docs/en/manage-claude/compliance-activity-feed),
 *   so here it sees its own organisation's activities (plus the org-less ones: sign-ins and API
 *   calls carry a null organisation; the docs are silent on whom those are shown to).
 * - Every activity names its organisation, `organization_id` (`org_…`) and `organization_uuid`
 *   (the id `/v1/organizations/me` returns), and the feed filters by `organization_ids[]`
 *   (https://platform.claude.com/docs/en/api/compliance/activities/list).
 * - One rate-limit budget per parent, "shared across every key under the parent"
 *   (https://platform.claude.com/docs/en/manage-claude/compliance-errors#429-too-many-requests):
 *   the server's one limiter.
 * - "An organization with a parent organization reads the state inherited from the parent's
 *   configuration" (https://platform.claude.com/docs/en/api/typescript/organization/compliance_settings):
 *   a child's `complianceEnabled` is the first organisation's.
 */

export interface OrganizationInput extends Omit<SimConfigInput, 'complianceKey' | 'feed' | 'complianceEnabled'> {
  name?: string;
}

export interface SimOrganization {
  /** `org_…`, as activities name it in `organization_id`. */
  id: string;
  /** The uuid `/v1/organizations/me` answers and activities carry as `organization_uuid`. */
  uuid: string;
  name: string;
  /** This organisation's Admin API key (works for this organisation only). */
  adminKey: string;
  config: SimConfig;
  state: SimState;
  core: OrgCore;
}

export class SimOrganizations {
  private readonly children: SimOrganization[] = [];

  constructor(
    private readonly primary: OrgCore,
    private readonly tagged: (prefix: string) => string,
  ) {}

  add(input: OrganizationInput = {}): SimOrganization {
    const { ids, clock, feed } = this.primary;
    const parent = this.primary.config;
    const suffix = this.tagged('key').slice(4);
    const config = resolveConfig(
      {
        ...input,
        adminKey: input.adminKey ?? `sk-ant-admin01-simulated-${suffix}`,
        // No Compliance Access Key of its own: those belong to the parent (never matches a request).
        complianceKey: '',
        oauthToken: input.oauthToken ?? `sk-ant-oat01-simulated-${suffix}`,
      },
      this.tagged,
    );
    config.feed = parent.feed;
    Object.defineProperty(config, 'complianceEnabled', {
      get: () => parent.complianceEnabled,
      set: (v: boolean) => {
        parent.complianceEnabled = v;
      },
      enumerable: true,
    });
    const org: SimOrg = {
      id: ids.tagged('org'),
      uuid: ids.uuid(),
      name: input.name ?? `Simulated Organization ${this.children.length + 2}`,
      type: config.orgType,
    };
    const core = buildOrgCore({
      org,
      config,
      clock,
      ids,
      feed,
      orgFields: { organization_id: org.id, organization_uuid: org.uuid },
    });
    const added = {
      id: org.id,
      uuid: org.uuid,
      name: org.name,
      adminKey: config.adminKey,
      config,
      state: core.state,
      core,
    };
    this.children.push(added);
    return added;
  }

  list(): SimOrganization[] {
    const p = this.primary;
    const first: SimOrganization = {
      id: p.state.org.id,
      uuid: p.state.org.uuid,
      name: p.state.org.name,
      adminKey: p.config.adminKey,
      config: p.config,
      state: p.state,
      core: p,
    };
    return [first, ...this.children];
  }

  cores(): SimCore[] {
    return [this.primary, ...this.children.map((c) => c.core)];
  }
}

/**
 * The organisation a request's credential belongs to, and how it authenticated there: an
 * organisation's own keys reach only it; anything else (the parent's Compliance Access Keys,
 * unknown keys, none) is answered by the first organisation, as a single-organisation
 * simulator always answered.
 */
export function routeByCredential(
  headers: IncomingHttpHeaders,
  cores: readonly SimCore[],
): { core: SimCore; auth: AuthInfo; scopedToOrg: boolean } {
  const [first, ...rest] = cores;
  for (const core of rest) {
    const auth = identify(headers, core.config);
    if (auth.credential !== 'unknown' && auth.credential !== 'none') return { core, auth, scopedToOrg: true };
  }
  const auth = identify(headers, first!.config);
  // With several organisations, the first one's Admin key reads only its own organisation's feed too.
  return { core: first!, auth, scopedToOrg: rest.length > 0 && auth.credential === 'admin' };
}
