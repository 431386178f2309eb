import type { FindingKind } from '../domain/findings.js';
import type { Subject } from '../domain/findings.js';

/**
 * Fingerprints are readable and stable. A state finding (dormant, unowned, stale …) is
 * one per (kind, subject): re-running refreshes it. An anomaly also names the event
 * that makes it distinct (the spike's first day, the removal day, the grant), so the
 * same event is never reported twice and a new one always is.
 */
export function stateFingerprint(kind: FindingKind, subject: Subject): string {
  return `${kind}:${subject.type}:${subject.id}`;
}

export function eventFingerprint(kind: FindingKind, subject: Subject, ...distinct: string[]): string {
  return [kind, subject.type, subject.id, ...distinct].join(':');
}
