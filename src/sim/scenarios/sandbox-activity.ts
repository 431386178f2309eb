import type { Activity, ExpectedFinding } from './known-org.js';
import type { SandboxCast } from './sandbox-cast.js';
import { sandboxKeyId as K } from './sandbox-keys.js';
import type { SandboxPerson } from './sandbox-people.js';

/**
 * The sandbox company's Compliance activity feed (chats, administration, background views)
 * and the findings it must raise: dormant seats, the stale admin, the new admin's grant,
 * the views-only seat (when views are not use), the stale invite.
 */
export function sandboxActivity(cast: SandboxCast) {
  const { days, ago, org, lead, priya, stale, promoted, contractor, viewer, leaverA, leaverB } = cast;
  const { dormantPeople, activePeople, leaverAGone, leaverBGone } = cast;
  const expectedFindings: ExpectedFinding[] = [];
  const viewsOnlyFindings: ExpectedFinding[] = [];
  // Activity feed: chats, administration, background views.
  let seq = 0;
  const activities: Activity[] = [];
  const activity = (at: string, type: string, actor: Activity['actor'], fields: Record<string, unknown> = {}) =>
    activities.push({
      id: `activity_01SANDBOX${String(++seq).padStart(6, '0')}`,
      created_at: at,
      organization_id: org.id,
      organization_uuid: org.uuid,
      actor,
      type,
      ...fields,
    });
  const person = (p: SandboxPerson): Activity['actor'] => ({
    type: 'user_actor',
    user_id: p.userId,
    email_address: p.email,
    ip_address: `192.0.2.${10 + (p.index % 200)}`,
    user_agent: 'Mozilla/5.0',
  });
  const chats = (p: SandboxPerson, from: number, to: number, every: number) => {
    // Today's chats happen before noon: nothing is in the future of `now`.
    for (let d = from; d >= to; d -= every)
      activity(ago(d, d === 0 ? 8 : 9 + (p.index % 8)), 'claude_chat_created', person(p), {
        claude_chat_id: `claude_chat_${p.handle}_${d}`,
      });
  };
  const seat = (p: SandboxPerson) =>
    expectedFindings.push({
      kind: 'dormant_seat',
      subjectType: 'user',
      subjectId: p.userId,
      via: 'holder',
      ownerUserId: p.userId,
    });

  chats(lead, days, 0, 2);
  activity(ago(20, 11), 'org_user_invite_sent', person(lead), { invite_id: 'invite_01SANDBOXSTALE' });
  activity(ago(5, 11), 'org_user_invite_sent', person(lead), { invite_id: 'invite_01SANDBOXFRESH' });
  activity(ago(2, 9), 'claude_user_role_updated', person(lead), {
    user_id: promoted.userId,
    previous_role: 'developer',
    current_role: 'admin',
  });
  expectedFindings.push({
    kind: 'privilege_grant',
    subjectType: 'user',
    subjectId: promoted.userId,
    via: 'holder',
    ownerUserId: promoted.userId,
  });
  chats(priya, days, 1, 3);
  activity(ago(10, 8), 'platform_api_key_created', person(priya), { api_key_id: K('PRIYANEW') });
  activity(ago(1, 8), 'platform_api_key_created', person(priya), { api_key_id: K('BRANDNEW') });
  chats(stale, days, 2, 4);
  expectedFindings.push({
    kind: 'stale_admin',
    subjectType: 'user',
    subjectId: stale.userId,
    via: 'holder',
    ownerUserId: stale.userId,
  });
  chats(promoted, days, 1, 3);
  chats(contractor, days, 64, 5);
  seat(contractor);
  chats(viewer, days, 70, 4);
  for (let d = 66; d >= 1; d -= 3)
    activity(ago(d, 8), 'claude_chat_viewed', person(viewer), { claude_chat_id: `claude_chat_${viewer.handle}_old` });
  viewsOnlyFindings.push({
    kind: 'dormant_seat',
    subjectType: 'user',
    subjectId: viewer.userId,
    via: 'holder',
    ownerUserId: viewer.userId,
  });
  chats(leaverA, days, leaverAGone + 1, 3);
  chats(leaverB, days, leaverBGone + 1, 3);
  dormantPeople.forEach((p, i) => {
    chats(p, days, 31 + ((i * 13) % (days - 40)), 4);
    seat(p);
  });
  activePeople.forEach((p, i) => chats(p, days, i % 12, 2 + (i % 4)));
  const viewerKeyActor = {
    type: 'api_actor',
    api_key_id: K('VIEWER'),
    ip_address: '198.51.100.20',
    user_agent: 'Anthropic/JS',
  };
  for (let d = 60; d >= 2; d -= 4)
    activity(ago(d, 6), 'claude_file_viewed', viewerKeyActor, { claude_file_id: `claude_file_dashboard_${d}` });
  expectedFindings.push({
    kind: 'stale_invite',
    subjectType: 'invite',
    subjectId: 'invite_01SANDBOXSTALE',
    via: null,
    unownedReason: 'invite_not_accepted',
  });
  activities.sort((a, b) => a.created_at.localeCompare(b.created_at));

  return { activities, expectedFindings, viewsOnlyFindings };
}
