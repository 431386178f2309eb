/**
 * The known organisation's Compliance activity feed: chats that date each member's last
 * activity, the grants (an admin key, a promotion, a workspace admin) and non-grants, activity
 * after removal, a user the directory never listed, and actors the directory cannot list.
 */
import type { OrganizationUser } from '@anthropic-ai/sdk/resources/organization/index.js';
import type { Activity, Listed } from '../scenario-types.js';
import type { RelativeTime } from './relative-time.js';

export function knownOrgActivities(
  { ago }: RelativeTime,
  org: { id: string; uuid: string },
  users: Array<Listed<OrganizationUser>>,
): Activity[] {
  let seq = 0;
  const activity = (
    at: string,
    type: string,
    actor: Activity['actor'],
    fields: Record<string, unknown> = {},
  ): Activity => ({
    id: `activity_01KNOWN${String(++seq).padStart(4, '0')}`,
    created_at: at,
    organization_id: org.id,
    organization_uuid: org.uuid,
    actor,
    type,
    ...fields,
  });
  const emails = new Map(users.map((u) => [u.wire.id, u.wire.email]));
  const userActor = (id: string): Activity['actor'] => ({
    type: 'user_actor',
    user_id: id,
    email_address: emails.get(id) ?? `${id}@unknown.test`,
    ip_address: '192.0.2.10',
    user_agent: 'Mozilla/5.0',
  });
  const apiActor = (id: string): Activity['actor'] => ({
    type: 'api_actor',
    api_key_id: id,
    ip_address: '198.51.100.7',
    user_agent: 'curl/8.5.0',
  });
  const chat = (userId: string, daysAgo: number, hour = 10) =>
    activity(ago(daysAgo, hour), 'claude_chat_created', userActor(userId), {
      claude_chat_id: `claude_chat_${userId}_${daysAgo}`,
    });

  const activities: Activity[] = [
    // Alice administers: an invite, the admin key, Grace's promotion, Oscar's workspace role.
    chat('user_01ALICE', 1),
    activity(ago(3, 9), 'admin_api_key_created', userActor('user_01ALICE'), { admin_api_key_id: 'admkey_01NEW' }),
    activity(ago(2, 9), 'claude_user_role_updated', userActor('user_01ALICE'), {
      user_id: 'user_01GRACE',
      previous_role: 'user',
      current_role: 'admin',
    }),
    activity(ago(1, 9), 'platform_workspace_member_added', userActor('user_01ALICE'), {
      user_id: 'user_01OSCAR',
      workspace_id: 'wrkspc_01WEB',
    }),
    // Not grants: a role change to a non-admin role, a workspace member added as a user.
    activity(ago(4, 9), 'claude_user_role_updated', userActor('user_01ALICE'), {
      user_id: 'user_01ERIN',
      previous_role: 'user',
      current_role: 'user',
    }),
    activity(ago(3, 9), 'platform_workspace_member_added', userActor('user_01ALICE'), {
      user_id: 'user_01PAUL',
      workspace_id: 'wrkspc_01WEB',
    }),
    chat('user_01BOB', 0, 9),
    chat('user_01BOB', 6),
    chat('user_01CAROL', 45),
    chat('user_01CAROL', 80),
    chat('user_01DAN', 30),
    chat('user_01ERIN', 29),
    chat('user_01FRANK', 1),
    activity(ago(90), 'org_user_invite_sent', userActor('user_01FRANK'), { invite_id: 'invite_01OLD' }),
    chat('user_01GRACE', 1),
    chat('user_01HEIDI', 25),
    chat('user_01HEIDI', 5), // after her removal 20 days ago
    chat('user_01IVAN', 70),
    chat('user_01KIM', 50),
    chat('user_01KIM', 2), // resumes
    chat('user_01LEO', 120), // before his removal and re-adding
    chat('user_01MIA', 2),
    activity(ago(70), 'platform_workspace_member_added', userActor('user_01MIA'), {
      user_id: 'user_01BOB',
      workspace_id: 'wrkspc_01ML',
    }),
    chat('user_01OSCAR', 0, 8),
    chat('user_01QUINN', 210),
    // A user id the directory has never listed.
    activity(ago(2, 14), 'claude_chat_created', userActor('user_01GHOST'), { claude_chat_id: 'claude_chat_ghost' }),
    // Actors the directory cannot list are not "unknown": an admin key, SCIM.
    activity(ago(1, 7), 'org_users_listed', {
      type: 'admin_api_key_actor',
      admin_api_key_id: 'admkey_01OPS',
      ip_address: '198.51.100.8',
      user_agent: 'Anthropic/JS',
    }),
    activity(ago(1, 6), 'scim_user_updated', {
      type: 'scim_directory_sync_actor',
      workos_event_id: 'evt_1',
      directory_id: 'dir_1',
      idp_connection_type: 'OktaSCIMV2',
    }),
    activity(ago(1, 5), 'compliance_api_accessed', apiActor('apikey_01BOBPROD')),
  ];
  return activities;
}
