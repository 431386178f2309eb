import { sql } from 'drizzle-orm';
import type { OutboxAction } from '../actions/outbox.js';
import type { ActionNotifier } from '../actions/worker.js';
import { appendAudit } from '../audit/append.js';
import type { LoadedPolicy } from '../config/policy.js';
import { queryRows } from '../db/client.js';
import type { Db } from '../db/types.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../log.js';
import { loadSnapshot, type ReviewSnapshot } from './snapshot.js';

/** Sends one plain DM; the Slack adapter implements it. */
export interface PersonNotifier {
  tell(slackId: string, text: string): Promise<void>;
}

export interface SubjectNoticeDeps {
  db: Db;
  logger: Logger;
  policy: LoadedPolicy;
  now: Clock;
  inner: ActionNotifier;
  person: PersonNotifier;
  /** Who to ask when the grace period has passed (STEWARD_ADMINS). */
  admins: readonly string[];
}

const WHAT: Record<string, string> = {
  deactivate_key: 'was deactivated',
  remove_member: 'was removed from the Claude organisation',
  lower_org_role: 'was lowered to a plain member',
  lower_workspace_role: 'was lowered to a workspace user',
  delete_invite: 'was deleted',
  archive_service_account: 'was archived',
  restore_key: 'is active again',
};

/**
 * The subject is told (issue 20): when an action on someone's access finishes, the
 * person whose access it is hears what happened, by whom, why and how to get it back —
 * unless they decided it themselves. A key's business owner (its approval record) hears
 * too, which is how a leaver's keys reach someone. Each notice is claimed in
 * `lifecycle_notices` before it is sent, so replicas send it once.
 */
export function withSubjectNotice(deps: SubjectNoticeDeps): ActionNotifier {
  return {
    // Retries are the inner notifier's alone: nothing has changed for the subject yet.
    ...(deps.inner.actionRetrying ? { actionRetrying: (a: OutboxAction) => deps.inner.actionRetrying!(a) } : {}),
    async actionFinished(action) {
      await deps.inner.actionFinished(action);
      const notifyOnly = (action.result as { notifyOnly?: boolean } | null)?.notifyOnly === true;
      if ((action.status !== 'succeeded' && !notifyOnly) || !action.reviewItemId) return;
      try {
        const s = await loadSnapshot(deps.db, action.reviewItemId, deps.policy.policy);
        if (!s) return;
        for (const slackId of await recipients(deps, action, s)) {
          if (!(await claim(deps, action, slackId))) continue;
          await deps.person.tell(
            slackId,
            noticeText(action, s, deps.policy.policy.review.restore_grace_days, deps.admins),
          );
        }
      } catch (err) {
        deps.logger.warn({ err, actionId: action.id }, 'could not tell the subject about a change to their access');
      }
    },
  };
}

async function recipients(deps: SubjectNoticeDeps, action: OutboxAction, s: ReviewSnapshot): Promise<string[]> {
  const out = new Set<string>();
  // The subject's own person, when the action is about the subject (not a leaver's extra key).
  if (action.targetId === s.evidence.subject.id && s.item.kind !== 'leaver' && s.evidence.owner.slackId)
    out.add(s.evidence.owner.slackId);
  const owners = await queryRows<{ business_owner_slack_id: string | null }>(
    deps.db,
    sql`select business_owner_slack_id from attestations
        where org_id = ${action.orgId} and subject_type = ${action.targetType} and subject_id = ${action.targetId}
          and status = 'attested'`,
  );
  for (const o of owners) if (o.business_owner_slack_id) out.add(o.business_owner_slack_id);
  // No DM for a decision the person made themselves.
  if (action.requestedBySlackId) out.delete(action.requestedBySlackId);
  return [...out];
}

async function claim(deps: SubjectNoticeDeps, action: OutboxAction, slackId: string): Promise<boolean> {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const rows = await queryRows(
      tx,
      sql`insert into lifecycle_notices (key, recipient_slack_id, sent_at)
          values (${`action:${action.id}:${slackId}`}, ${slackId}, ${now.toISOString()}::timestamptz)
          on conflict (key) do nothing returning key`,
    );
    if (rows.length === 0) return false;
    await appendAudit(tx, {
      actor: { type: 'system', job: 'notice' },
      action: 'notice.subject_told',
      subject: { type: action.targetType, id: action.targetId },
      reviewItemId: action.reviewItemId,
      outcome: action.kind,
      details: { actionId: action.id, slackId },
      policyVersion: deps.policy.version,
      at: now,
    });
    return true;
  });
}

/** What happened, by whom, why, and how to get it back. */
export function noticeText(
  action: OutboxAction,
  s: ReviewSnapshot,
  graceDays: number,
  admins: readonly string[],
): string {
  const params = action.params as { label?: string } | null;
  const what =
    action.targetId === s.evidence.subject.id ? s.evidence.subject.label : (params?.label ?? action.targetId);
  const notifyOnly = (action.result as { notifyOnly?: boolean } | null)?.notifyOnly === true;
  const done = notifyOnly
    ? `was decided for removal (${action.kind.replace(/_/g, ' ')}) but *not revoked, recorded*: Steward only notifies for now`
    : (WHAT[action.kind] ?? `changed (${action.kind})`);
  if (action.kind === 'restore_key')
    return `Your access *${what}* ${done}: ${action.requestedBySlackId ? `<@${action.requestedBySlackId}>` : 'Steward'} restored it.`;
  const by = action.requestedBySlackId
    ? `<@${action.requestedBySlackId}>`
    : s.item.kind === 'leaver'
      ? "Steward's leaver policy"
      : "Steward's timeout policy (the review was not answered in time)";
  const why = s.item.kind === 'leaver' ? 'its holder has left (their Slack account is deactivated)' : s.evidence.rule;
  const ask = admins.length ? admins.map((a) => `<@${a}>`).join(', ') : 'the security team';
  const back = notifyOnly
    ? `Nothing changed; if it is still needed, tell ${ask}.`
    : action.kind === 'deactivate_key' && action.completedAt && s.item.kind !== 'leaver'
      ? `It can be restored from the review message until ${new Date(action.completedAt.getTime() + graceDays * 86_400_000).toISOString().slice(0, 10)}; after that, ask ${ask}.`
      : `To get it back, ask ${ask}.`;
  return `Your access *${what}* ${done} by ${by}.\nWhy: ${why}\n${back}`;
}
