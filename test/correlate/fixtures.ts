import type {
  APIKey,
  OrganizationInvite,
  OrganizationUser,
  WorkspaceMember,
} from '@anthropic-ai/sdk/resources/organization/index.js';
import type { Activity, KeyUsageDay, Listed } from '../../src/sim/scenarios/known-org.js';

/** Small wire-shaped fixtures for database tests, times relative to a given `now`. */
export function fixtures(now: Date) {
  const DAY = 86_400_000;
  const ago = (days: number, hour = 10): string => {
    const d = new Date(now.getTime() - days * DAY);
    d.setUTCHours(hour, 0, 0, 0);
    return d.toISOString();
  };
  let seq = 0;
  return {
    ago,
    dayAgo: (days: number) => ago(days).slice(0, 10),
    user(
      id: string,
      o: {
        role?: OrganizationUser['role'];
        addedDaysAgo?: number;
        firstSeenDaysAgo?: number;
        removedDaysAgo?: number;
      } = {},
    ): Listed<OrganizationUser> {
      return {
        wire: {
          id,
          type: 'user',
          email: `${id.toLowerCase()}@acme.test`,
          name: id,
          role: o.role ?? 'user',
          added_at: ago(o.addedDaysAgo ?? 300, 8),
        },
        firstSeenAt: ago(o.firstSeenDaysAgo ?? o.addedDaysAgo ?? 300, 8),
        ...(o.removedDaysAgo === undefined ? {} : { removedAt: ago(o.removedDaysAgo, 15) }),
      };
    },
    key(
      id: string,
      o: { createdDaysAgo?: number; createdBy?: string | null; principalUser?: string; status?: APIKey['status'] } = {},
    ): Listed<APIKey> {
      return {
        wire: {
          id,
          type: 'api_key',
          name: id,
          created_at: ago(o.createdDaysAgo ?? 300, 8),
          created_by: o.createdBy === null ? null : { id: o.createdBy ?? 'user_owner', type: 'user' },
          expires_at: null,
          partial_key_hint: 'sk-ant-…wxyz',
          principal: o.principalUser ? { type: 'user_actor', user_id: o.principalUser } : null,
          scope: { type: 'workspace', workspace_id: 'wrkspc_1' },
          status: o.status ?? 'active',
        },
        firstSeenAt: ago(o.createdDaysAgo ?? 300, 8),
      };
    },
    invite(id: string, invitedDaysAgo: number): Listed<OrganizationInvite> {
      return {
        wire: {
          id,
          type: 'invite',
          email: `${id}@partner.test`,
          role: 'user',
          status: 'pending',
          invited_at: ago(invitedDaysAgo, 9),
          expires_at: ago(invitedDaysAgo - 30, 9),
          accepted_at: null,
          rbac_group_ids: [],
        },
        firstSeenAt: ago(invitedDaysAgo, 9),
      };
    },
    member(
      workspace_id: string,
      user_id: string,
      role: WorkspaceMember['workspace_role'],
      sinceDaysAgo = 300,
    ): Listed<WorkspaceMember> {
      return {
        wire: { type: 'workspace_member', workspace_id, user_id, workspace_role: role },
        firstSeenAt: ago(sinceDaysAgo, 8),
      };
    },
    activity(
      userId: string,
      daysAgo: number,
      type = 'claude_chat_created',
      hour = 10,
      fields: Record<string, unknown> = {},
    ): Activity {
      return {
        id: `activity_${String(++seq).padStart(6, '0')}`,
        created_at: ago(daysAgo, hour),
        type,
        actor: { type: 'user_actor', user_id: userId, email_address: `${userId.toLowerCase()}@acme.test` },
        ...fields,
      };
    },
    usage(apiKeyId: string, daysAgo: number, requests = 50): KeyUsageDay {
      return {
        apiKeyId,
        date: ago(daysAgo).slice(0, 10),
        requests,
        uncachedInputTokens: requests * 100,
        outputTokens: requests * 10,
      };
    },
  };
}
