import { addDays, dayStart, laterDay, utcDay } from '../days.js';
import { eventFingerprint } from '../fingerprint.js';
import { principalKind } from '../../domain/roles.js';
import type { Detection } from '../types.js';
import type { Rule } from './types.js';

/**
 * Every Compliance API request is itself in the feed, as `compliance_api_accessed` by
 * an `api_actor` naming the credential (a Compliance Access Key, or an Admin key): keys
 * the Admin API never lists. A key seen only reading the feed, with no API usage, is
 * such a credential (Steward's own included), not an unknown actor.
 */
const COMPLIANCE_READ = 'compliance_api_accessed';

/**
 * `unknown_actor`: recent activity from a user, key or service account id no directory
 * listing has ever contained. Only once a directory listing taken after the actor's
 * first activity has missed it: before that, the directory may simply not have caught up.
 */
export const unknownActor: Rule = (snapshot, policy, now) => {
  if (!policy.anomalies.unknown_actor.enabled) return [];
  const synced = snapshot.directorySyncedAt;
  if (synced === null) return [];
  const windowStart = addDays(utcDay(now), -policy.anomalies.lookback_days);
  const out: Detection[] = [];
  for (const actor of snapshot.actorsNotInDirectory) {
    const kind = principalKind(actor.type);
    if (kind === 'other') continue;
    const a = actor.activity;
    if (kind === 'api_key' && a.lastEventType === COMPLIANCE_READ && a.lastUsageDay === null) continue;
    const lastDay = laterDay(a.lastEventAt ? utcDay(a.lastEventAt) : null, a.lastUsageDay);
    if (lastDay === null || lastDay < windowStart) continue;
    const firstSeen = a.firstEventAt ?? (a.lastUsageDay ? dayStart(a.lastUsageDay) : null);
    if (firstSeen === null || firstSeen > synced) continue;
    const subject = { type: kind, id: actor.id };
    out.push({
      kind: 'unknown_actor',
      fingerprint: eventFingerprint('unknown_actor', subject),
      subject,
      activityOf: actor.id,
      rule: `Activity from ${kind.replace('_', ' ')} ${actor.id}, which the directory does not list (last listed ${synced.toISOString()}).`,
      thresholds: {},
      anomaly: {
        actorType: actor.type,
        firstActivityAt: a.firstEventAt?.toISOString() ?? null,
        lastActivityAt: a.lastEventAt?.toISOString() ?? null,
        lastActivityType: a.lastEventType,
        lastUsageDay: a.lastUsageDay,
        directoryListedAt: synced.toISOString(),
      },
    });
  }
  return out;
};
