import { stateFingerprint } from '../fingerprint.js';
import { creatorLeftReason } from '../departed.js';
import { creatorLeft, keyOwner } from '../owner.js';
import type { Detection } from '../types.js';
import { isLiveKey } from './dormant-key.js';
import type { Rule } from './types.js';

const WHY: Record<string, string> = {
  no_creator_recorded: 'no creator is recorded for it',
  creator_removed: 'its creator is no longer a member',
  creator_unknown: 'its creator is not in the directory',
  principal_removed: 'the user it acts as is no longer a member',
  principal_unknown: 'the user it acts as is not in the directory',
  service_account_unowned: 'it belongs to a service account that nobody owns',
};

/** `unowned_key`: an active key nobody is accountable for, unless an override or a claim names someone. */
export const unownedKey: Rule = (snapshot, policy) => {
  if (!policy.findings.unowned_key.enabled) return [];
  const out: Detection[] = [];
  for (const key of snapshot.keys.values()) {
    if (!isLiveKey(key)) continue;
    const owner = keyOwner(key, snapshot);
    if (owner.via !== null) continue;
    const reason = owner.unownedReason ?? 'no_owner';
    const left = reason === 'creator_left' ? creatorLeft(key, snapshot) : null;
    const why = left ? creatorLeftReason(left.user, left.departure) : (WHY[reason] ?? reason);
    const subject = { type: 'api_key' as const, id: key.id };
    out.push({
      kind: 'unowned_key',
      fingerprint: stateFingerprint('unowned_key', subject),
      subject,
      activityOf: key.id,
      rule: `Nobody is accountable for this active key: ${why}, and no override or claim names an owner.`,
      thresholds: {},
    });
  }
  return out;
};
