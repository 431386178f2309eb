import { isOrgAdminRole, WORKSPACE_ADMIN_ROLE } from '../../domain/roles.js';
import { utcDay } from '../days.js';
import { usedByOthers } from '../departed.js';
import { eventFingerprint } from '../fingerprint.js';
import type { Detection, UserRecord } from '../types.js';
import { isLiveKey } from './dormant-key.js';
import type { Rule } from './types.js';

/** One access a leaver still holds, listed in the alert. */
export interface Holding {
  type: 'seat' | 'org_role' | 'workspace_admin' | 'api_key';
  id: string;
  label: string;
}

/**
 * `leaver` (issue 20): a person Steward had matched to a Slack account whose account is
 * now deactivated or gone, while they still hold a Claude seat, a role or live keys.
 * An event (an anomaly): one per person and departure day. Someone never found in Slack
 * has no departure, so they are never a leaver.
 */
export const leaver: Rule = (snapshot, policy) => {
  if (!policy.anomalies.leaver.enabled || snapshot.departures.length === 0) return [];
  const byEmail = new Map<string, UserRecord>();
  for (const u of snapshot.users.values()) if (u.removedAt === null) byEmail.set(u.email.toLowerCase(), u);
  const out: Detection[] = [];
  for (const d of snapshot.departures) {
    const u = byEmail.get(d.email);
    if (!u) continue;
    const holdings: Holding[] = [{ type: 'seat', id: u.id, label: u.email }];
    if (isOrgAdminRole(u.role)) holdings.push({ type: 'org_role', id: u.id, label: u.role });
    for (const m of snapshot.memberships)
      if (m.userId === u.id && m.removedAt === null && m.role === WORKSPACE_ADMIN_ROLE)
        holdings.push({
          type: 'workspace_admin',
          id: m.workspaceId,
          label: snapshot.workspaces.get(m.workspaceId)?.name ?? m.workspaceId,
        });
    // Keys they created that others still use are not theirs to revoke: they become unowned
    // (`unowned_key`, "creator left") and are listed apart, so Revoke all leaves them running.
    const handedOn: Holding[] = [];
    for (const k of snapshot.keys.values()) {
      if (!isLiveKey(k) || (k.principal?.id !== u.id && k.createdBy?.id !== u.id)) continue;
      const h: Holding = { type: 'api_key', id: k.id, label: k.hint ? `${k.name} (${k.hint})` : k.name };
      (k.principal?.id !== u.id && usedByOthers(k, u.id, d) ? handedOn : holdings).push(h);
    }
    const subject = { type: 'user' as const, id: u.id };
    const keys = holdings.filter((h) => h.type === 'api_key').length;
    out.push({
      kind: 'leaver',
      fingerprint: eventFingerprint('leaver', subject, utcDay(d.detectedAt)),
      subject,
      activityOf: u.id,
      rule: `Their Slack account is ${d.how === 'deactivated' ? 'deactivated' : 'gone'}, yet they still hold a seat${isOrgAdminRole(u.role) ? `, the ${u.role} role` : ''}${keys ? ` and ${keys} active key${keys === 1 ? '' : 's'}` : ''}.`,
      thresholds: {},
      anomaly: {
        slackUserId: d.slackUserId,
        how: d.how,
        departedAt: d.detectedAt.toISOString(),
        holdings,
        ...(handedOn.length ? { unownedKeys: handedOn } : {}),
      },
    });
  }
  return out;
};
