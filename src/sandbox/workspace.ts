/**
 * The simulated Slack workspace of the sandbox's company: everyone in the organisation who
 * has a Slack account, under the same email (Steward finds people by email), the leavers
 * deactivated as an IT team would, and the security channel with the security team.
 */
import type { SandboxScenario } from '../sim/scenarios/sandbox-org.js';
import type { SlackSim } from '../sim/slack/index.js';

export interface SeededWorkspace {
  /** Anthropic user id → Slack user id. */
  slackIds: Map<string, string>;
  securityChannel: string;
  /** Steward admins (STEWARD_ADMINS): the security lead and the security team. */
  admins: string[];
  lead: string;
}

export function seedSlackWorkspace(slack: SlackSim, scenario: SandboxScenario): SeededWorkspace {
  const slackIds = new Map<string, string>();
  const removed = new Set(scenario.users.filter((u) => u.removedAt !== undefined).map((u) => u.wire.id));
  for (const p of scenario.people) {
    if (!p.inSlack) continue;
    const user = slack.addUser({
      name: p.handle,
      real_name: p.name,
      display_name: p.name.split(' ')[0],
      email: p.email,
      is_admin: p === scenario.securityLead,
      tz: 'Europe/London',
      tz_label: 'Greenwich Mean Time',
      tz_offset: 0,
    });
    slackIds.set(p.userId, user.id);
    if (removed.has(p.userId)) slack.deactivateUser(user.id);
  }
  const team = [scenario.securityLead, ...scenario.securityTeam].map((p) => slackIds.get(p.userId)!);
  const security = slack.addChannel({
    name: 'security',
    members: team,
    topic: 'Access reviews, alerts and escalations from Steward',
    purpose: 'Where Steward sends what nobody else can answer',
  });
  return { slackIds, securityChannel: security.id, admins: team, lead: team[0]! };
}
