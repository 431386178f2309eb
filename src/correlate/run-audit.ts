import { describeTarget, type Target } from '../domain/target.js';
import type { PassOutcome } from './pass.js';

// Audit details list at most this many fingerprints per kind of change.
const AUDIT_LIST_LIMIT = 200;

function countsOf(outcomes: readonly PassOutcome[]) {
  const sum = (f: (o: PassOutcome) => number) => outcomes.reduce((n, o) => n + f(o), 0);
  return {
    findings: sum((o) => o.kept.length),
    opened: sum((o) => o.fresh.length + o.reopened.length),
    reopened: sum((o) => o.reopened.length),
    refreshed: sum((o) => o.refreshed.length),
    resolved: sum((o) => o.resolved.length),
    suppressed: sum((o) => o.suppressed.length),
  };
}

/**
 * What the audit row of a correlation run says: its counts, and (up to a limit) which findings
 * changed; with several organisations (issue 17), each one's counts too, and each listed
 * finding names its organisation.
 */
export function runAuditDetails(target: Target, outcomes: readonly PassOutcome[]): Record<string, unknown> {
  const several = outcomes.length > 1;
  const tag = (o: PassOutcome) => (several ? { org: o.org.id } : {});
  const byKind: Record<string, number> = {};
  for (const o of outcomes) for (const f of o.kept) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  const opened = outcomes.flatMap((o) => [...o.fresh, ...o.reopened].map((f) => ({ fp: f.fingerprint, o })));
  const resolved = outcomes.flatMap((o) => o.resolved.map((r) => ({ r, o })));
  const suppressed = outcomes.flatMap((o) => o.suppressed.map((s) => ({ s, o })));
  return {
    target: describeTarget(target),
    counts: countsOf(outcomes),
    openByKind: byKind,
    ...(several
      ? { organizations: outcomes.map((o) => ({ id: o.org.id, name: o.org.name, counts: countsOf([o]) })) }
      : {}),
    opened: opened.slice(0, AUDIT_LIST_LIMIT).map(({ fp, o }) => (several ? { fingerprint: fp, ...tag(o) } : fp)),
    resolved: resolved
      .slice(0, AUDIT_LIST_LIMIT)
      .map(({ r, o }) => ({ fingerprint: r.fingerprint, reason: r.reason, ...tag(o) })),
    suppressed: suppressed
      .slice(0, AUDIT_LIST_LIMIT)
      .map(({ s, o }) => ({ fingerprint: s.fingerprint, by: s.by, until: s.until, ...tag(o) })),
    truncated:
      opened.length > AUDIT_LIST_LIMIT || resolved.length > AUDIT_LIST_LIMIT || suppressed.length > AUDIT_LIST_LIMIT,
  };
}
