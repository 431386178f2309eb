import { describeTarget, type Target } from '../domain/target.js';
import type { ResolvedFinding } from './service.js';
import type { Suppression } from './suppression.js';
import type { Finding } from './types.js';

// Audit details list at most this many fingerprints per kind of change.
const AUDIT_LIST_LIMIT = 200;

/** What the audit row of a correlation run says: its counts, and (up to a limit) which findings changed. */
export function runAuditDetails(
  target: Target,
  kept: Finding[],
  fresh: Finding[],
  reopened: Finding[],
  refreshed: Finding[],
  resolved: ResolvedFinding[],
  suppressed: Suppression[],
): Record<string, unknown> {
  const byKind: Record<string, number> = {};
  for (const f of kept) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  const opened = [...fresh, ...reopened].map((f) => f.fingerprint);
  return {
    target: describeTarget(target),
    counts: {
      findings: kept.length,
      opened: opened.length,
      reopened: reopened.length,
      refreshed: refreshed.length,
      resolved: resolved.length,
      suppressed: suppressed.length,
    },
    openByKind: byKind,
    opened: opened.slice(0, AUDIT_LIST_LIMIT),
    resolved: resolved.slice(0, AUDIT_LIST_LIMIT).map((r) => ({ fingerprint: r.fingerprint, reason: r.reason })),
    suppressed: suppressed
      .slice(0, AUDIT_LIST_LIMIT)
      .map((s) => ({ fingerprint: s.fingerprint, by: s.by, until: s.until })),
    truncated:
      opened.length > AUDIT_LIST_LIMIT || resolved.length > AUDIT_LIST_LIMIT || suppressed.length > AUDIT_LIST_LIMIT,
  };
}
