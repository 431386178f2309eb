import { and, isNull, sql } from 'drizzle-orm';
import type { AuditActor } from '../audit/append.js';
import { orgUsers } from '../db/schema/index.js';
import type { Executor } from '../db/types.js';
import type { SlackDirectory } from './deps.js';

export interface Actor {
  slackId: string;
  email: string | null;
  /** The active organisation member this Slack user maps to (by email), if any. */
  anthropicUserId: string | null;
  name: string | null;
  isBot: boolean;
  deleted: boolean;
}

/** Who is clicking, as Slack and the organisation directory know them. */
export async function resolveActor(ex: Executor, slack: SlackDirectory, slackId: string): Promise<Actor> {
  const profile = await slack.profile(slackId);
  const email = profile?.email?.toLowerCase() ?? null;
  let anthropicUserId: string | null = null;
  if (email) {
    const [u] = await ex
      .select({ id: orgUsers.id })
      .from(orgUsers)
      .where(and(sql`lower(${orgUsers.email}) = ${email}`, isNull(orgUsers.removedAt)))
      .limit(1);
    anthropicUserId = u?.id ?? null;
  }
  return {
    slackId,
    email,
    anthropicUserId,
    name: profile?.name ?? null,
    isBot: profile?.isBot ?? false,
    deleted: profile?.deleted ?? profile === null,
  };
}

export function auditActor(a: Actor): AuditActor {
  return { type: 'slack_user', slackId: a.slackId, anthropicId: a.anthropicUserId, label: a.name ?? a.email };
}
