import { ANOMALY_KINDS, isAnomaly, type FindingKind } from '../domain/findings.js';

/**
 * How a review is shown: `owner` — a DM to the accountable person with Keep / Revoke /
 * Not mine; `unowned` — the security channel with Claim / Revoke; `anomaly` — the
 * security channel with Acknowledge / Revoke / Ask owner.
 */
export type Presentation = 'owner' | 'unowned' | 'anomaly';

export function presentationOf(kind: string, route: string): Presentation {
  if (isAnomaly(kind)) return 'anomaly';
  return route === 'dm' ? 'owner' : 'unowned';
}

/** Where a new review goes, given the kind and whether its owner has a Slack account. */
export function routeFor(kind: FindingKind, ownerSlackId: string | null): 'dm' | 'security_channel' {
  if (ANOMALY_KINDS.has(kind)) return 'security_channel';
  if (kind === 'unowned_key') return 'security_channel';
  return ownerSlackId ? 'dm' : 'security_channel';
}
