import { sql } from 'drizzle-orm';
import { appendAudit } from '../audit/append.js';
import { queryRows } from '../db/client.js';
import { decideAs } from './decide.js';
import type { ReviewDeps } from './deps.js';

/** One Slack account as users.list reports it. */
export interface SlackAccount {
  id: string;
  deleted: boolean;
  /** profile.email, lower-cased, when Slack gives it (users:read.email). */
  email: string | null;
}

/** The whole Slack user list (deleted users included); the Slack adapter implements it. */
export interface SlackAccounts {
  /** Every account, or a thrown error: a partial list must never make people "gone". */
  listAccounts(): Promise<SlackAccount[]>;
}

/**
 * Records who left (issue 20): people Steward matched to a Slack account before
 * (`slack_user_cache`) whose account Slack now reports `deleted` or no longer lists.
 * Each departure is written once, with an audit row; correlation's `leaver` rule then
 * checks what access they still hold. Someone never found in Slack has no cached id, so
 * they are never a leaver.
 */
export async function recordDepartures(
  deps: Pick<ReviewDeps, 'db' | 'policy' | 'now' | 'logger'>,
  accounts: SlackAccounts,
): Promise<{ departed: number }> {
  if (!deps.policy.policy.anomalies.leaver.enabled) return { departed: 0 };
  const list = await accounts.listAccounts();
  // An empty answer is an outage or a wrong token, not everyone leaving at once.
  if (list.length === 0) return { departed: 0 };
  const byId = new Map(list.map((a) => [a.id, a]));
  // Matched before: an id looked up for their email (the cache), or a deactivated account
  // whose email is an active member's (the same email match Steward always uses).
  const deactivated = list.filter((a) => a.deleted && a.email);
  const matched = await queryRows<{ email: string; slack_user_id: string }>(
    deps.db,
    sql`select m.email, m.slack_user_id from (
          select c.email, c.slack_user_id from slack_user_cache c where c.slack_user_id is not null
          union
          select lower(u.email) as email, a.id as slack_user_id
          from org_users u
          join jsonb_to_recordset(${JSON.stringify(deactivated.map((a) => ({ id: a.id, email: a.email })))}::jsonb)
               as a(id text, email text) on lower(a.email) = lower(u.email)
          where u.removed_at is null) m
        where not exists (select 1 from slack_departures d where d.slack_user_id = m.slack_user_id)`,
  );
  const now = deps.now();
  let departed = 0;
  for (const m of matched) {
    const account = byId.get(m.slack_user_id);
    const how = !account ? 'gone' : account.deleted ? 'deactivated' : null;
    if (!how) continue;
    await deps.db.transaction(async (tx) => {
      const rows = await queryRows(
        tx,
        sql`insert into slack_departures (slack_user_id, email, how, detected_at)
            values (${m.slack_user_id}, ${m.email.toLowerCase()}, ${how}, ${now.toISOString()}::timestamptz)
            on conflict (slack_user_id) do nothing returning slack_user_id`,
      );
      if (rows.length === 0) return;
      departed++;
      await appendAudit(tx, {
        actor: { type: 'system', job: 'leavers' },
        action: 'leaver.detected',
        subject: { type: 'slack_user', id: m.slack_user_id },
        outcome: how,
        details: { email: m.email },
        policyVersion: deps.policy.version,
        at: now,
      });
    });
  }
  if (departed) deps.logger.info({ departed }, 'Slack accounts of matched people deactivated or gone');
  return { departed };
}

/**
 * `lifecycle.leaver: revoke`: every delivered leaver alert not yet decided is revoked
 * as an audited system decision (the alert is already in the channel and updates as
 * each action finishes). The decision is guarded, so replicas revoke once.
 */
export async function applyLeaverPolicy(deps: ReviewDeps): Promise<{ revoked: number }> {
  if (deps.policy.policy.lifecycle.leaver !== 'revoke') return { revoked: 0 };
  const items = await queryRows<{ id: string }>(
    deps.db,
    sql`select id::text as id from review_items where kind = 'leaver' and status = 'open' order by created_at`,
  );
  let revoked = 0;
  for (const { id } of items) {
    const r = await decideAs(
      deps,
      { itemId: id, actorSlackId: '', decision: 'revoke', via: 'leaver_policy' },
      'system',
    );
    if (r.ok) revoked++;
  }
  return { revoked };
}
