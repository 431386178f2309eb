import { addDays, utcDay } from '../days.js';
import { eventFingerprint } from '../fingerprint.js';
import type { Detection, KeyStatusChange, Snapshot, StewardDeactivation } from '../types.js';
import type { Rule } from './types.js';

/**
 * How far apart Steward's clock and the feed's `created_at` may be when the feed's record of a
 * deactivation is matched to the outbox action that made it: the request is sent after the action
 * is created and recorded by the API before the action is marked done, give or take clock skew.
 */
export const STEWARD_MATCH_SLACK_MS = 5 * 60_000;

const actorKey = (c: KeyStatusChange): string => `${c.actorType}:${c.actorId ?? ''}`;

/** Who set the key back, in words: a person's email, an admin key's id, a service account's name. */
function actorWords(c: KeyStatusChange, s: Snapshot): string {
  const id = c.actorId ?? 'unknown';
  switch (c.actorType) {
    case 'user_actor':
      return s.users.get(id)?.email ?? c.actorEmail ?? id;
    case 'admin_api_key_actor':
      return `admin API key ${id}`;
    case 'service_account_actor':
      return `service account ${s.serviceAccounts.get(id)?.name ?? id}`;
    default:
      return `${c.actorType.replace(/_actor$/, '').replace(/_/g, ' ')} ${id}`;
  }
}

/** The decision a deactivation carried out, in words. */
function decisionWords(d: StewardDeactivation): string {
  const r = d.review;
  if (!r) return `Steward's deactivation (action ${d.actionId})`;
  // A plain id: rule text is shown escaped; the Slack evidence block mentions the person.
  const by = r.decidedBySlackId
    ? `decided by Slack user ${r.decidedBySlackId}`
    : r.decision === 'timeout_revoke'
      ? 'taken when the review timed out'
      : 'taken by Steward';
  const when = r.decidedAt ? ` at ${r.decidedAt.toISOString()}` : '';
  return `the ${r.decision === 'timeout_revoke' ? 'timeout revoke' : 'Revoke'} ${by}${when} (review ${r.id}${r.kind ? `, ${r.kind}` : ''})`;
}

/**
 * Steward's own record of a deactivation in the feed: the first change of the key to `inactive`
 * between the action's creation and its completion (give or take clock skew). Its actor is the
 * credential Steward acts with; changes by that credential are Steward's, never an undoing.
 */
function ownRecord(d: StewardDeactivation, changes: KeyStatusChange[]): number {
  const from = d.requestedAt.getTime() - STEWARD_MATCH_SLACK_MS;
  const to = d.completedAt.getTime() + STEWARD_MATCH_SLACK_MS;
  return changes.findIndex((c) => c.current === 'inactive' && c.at.getTime() >= from && c.at.getTime() <= to);
}

/**
 * `revocation_undone`: a key Steward deactivated on a decision was set back to active by someone
 * else (a `platform_api_key_updated` activity whose `updates` holds a `status` change to `active`,
 * https://platform.claude.com/docs/en/api/compliance/activities/list, by an actor that is not the
 * credential Steward deactivated it with). The first such change after the deactivation is the
 * undoing; it is reported once (its activity id is in the fingerprint), and only within the
 * anomaly lookback window. A key Steward restored itself (Restore) is not loaded at all.
 */
export const revocationUndone: Rule = (snapshot, policy, now) => {
  if (!policy.anomalies.revocation_undone.enabled) return [];
  const windowStart = addDays(utcDay(now), -policy.anomalies.lookback_days);
  const byKey = new Map<string, KeyStatusChange[]>();
  for (const c of snapshot.keyStatusChanges ?? []) {
    const list = byKey.get(c.keyId) ?? [];
    list.push(c);
    byKey.set(c.keyId, list);
  }
  const out: Detection[] = [];
  for (const d of snapshot.stewardDeactivations ?? []) {
    const changes = byKey.get(d.keyId) ?? [];
    const own = ownRecord(d, changes);
    const steward = own >= 0 ? actorKey(changes[own]!) : null;
    // Without Steward's own record (not in the feed yet), only what followed the action's completion counts.
    const after = own >= 0 ? changes.slice(own + 1) : changes.filter((c) => c.at > d.completedAt);
    const undo = after.find((c) => c.current === 'active' && actorKey(c) !== steward);
    if (!undo || undo.at > now || utcDay(undo.at) < windowStart) continue;
    const subject = { type: 'api_key' as const, id: d.keyId };
    const label = snapshot.keys.get(d.keyId)?.name ?? d.keyId;
    const deactivatedAt = own >= 0 ? changes[own]!.at : d.completedAt;
    out.push({
      kind: 'revocation_undone',
      fingerprint: eventFingerprint('revocation_undone', subject, undo.activityId),
      subject,
      activityOf: d.keyId,
      rule: `API key ${label} was set back to active at ${undo.at.toISOString()} by ${actorWords(undo, snapshot)}, after Steward deactivated it at ${deactivatedAt.toISOString()}: this undoes ${decisionWords(d)}.`,
      thresholds: {},
      anomaly: {
        activityId: undo.activityId,
        reactivatedAt: undo.at.toISOString(),
        reactivatedBy: { type: undo.actorType, id: undo.actorId, email: undo.actorEmail },
        previousStatus: undo.previous,
        undid: {
          actionId: d.actionId,
          deactivatedAt: deactivatedAt.toISOString(),
          reviewId: d.review?.id ?? null,
          reviewKind: d.review?.kind ?? null,
          decision: d.review?.decision ?? null,
          decidedBySlackId: d.review?.decidedBySlackId ?? null,
          decidedAt: d.review?.decidedAt?.toISOString() ?? null,
          reason: d.review?.reason ?? null,
        },
      },
    });
  }
  return out;
};
