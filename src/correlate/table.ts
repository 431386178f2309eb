import type { Evidence } from '../domain/evidence.js';
import { sparkline } from '../domain/sparkline.js';
import type { Finding } from './types.js';

const n = (v: number) => Math.round(v).toLocaleString('en-US');

export function ownerText(o: Evidence['owner']): string {
  if (o.via === null) return `nobody: ${o.unownedReason ?? 'unknown'}`;
  return `${o.email ?? o.slackId ?? o.userId ?? '?'} (${o.via})`;
}

/** The few numbers that make the case, in one line. */
export function evidenceText(e: Evidence): string {
  const parts: string[] = [];
  const threshold = Object.values(e.thresholds)[0];
  if (e.idleDays !== undefined && e.idleDays !== null) {
    const what = e.kind === 'stale_invite' ? 'pending' : e.kind === 'stale_admin' ? 'no admin activity' : 'idle';
    parts.push(`${what} ${e.idleDays}d${threshold !== undefined ? ` (≥${threshold}d)` : ''}`);
  }
  const a = e.anomaly ?? {};
  if (e.kind === 'usage_spike')
    parts.push(`peak ${n(Number(a.peakRequests))} req on ${String(a.peakDay)} vs mean ${n(Number(a.baselineMean))}`);
  if (e.kind === 'privilege_grant')
    parts.push(`${String(a.role)}${a.grantedBy ? ` by ${(a.grantedBy as { id: string }).id}` : ''}`);
  if (e.kind === 'activity_after_removal')
    parts.push(`removed ${String(a.removedAt).slice(0, 10)}, used ${String(a.activityAt).slice(0, 10)}`);
  if (e.kind === 'dormant_resumed')
    parts.push(`resumed ${typeof a.resumedAt === 'string' ? a.resumedAt.slice(0, 10) : ''}`);
  parts.push(`7/30/90d ${n(e.counts.d7)}/${n(e.counts.d30)}/${n(e.counts.d90)}`);
  if (e.usage) parts.push(`req30 ${n(e.usage.requests30)} tok30 ${n(e.usage.tokens30)}`);
  parts.push(sparkline(e.weekly));
  return parts.join(' · ');
}

function fit(text: string, width: number): string {
  // By code point, so a character outside the BMP counts once.
  const chars = Array.from(text);
  return chars.length <= width ? text + ' '.repeat(width - chars.length) : `${chars.slice(0, width - 1).join('')}…`;
}

const COLUMNS = [
  { title: 'KIND', width: 22 },
  { title: 'SUBJECT', width: 46 },
  { title: 'OWNER (WHY)', width: 36 },
  { title: 'LAST ACTIVITY', width: 36 },
];

const ORG_COLUMN = { title: 'ORGANISATION', width: 24 };

/**
 * Findings as an aligned text table (the last column runs free); `orgOf`, with several
 * organisations (issue 17), adds a first column naming each finding's.
 */
export function findingsTable<F extends Finding>(findings: readonly F[], orgOf?: (f: F) => string): string[] {
  const orgTitle = orgOf ? [fit(ORG_COLUMN.title, ORG_COLUMN.width)] : [];
  const header = [...orgTitle, ...COLUMNS.map((c) => fit(c.title, c.width)), 'EVIDENCE'].join('  ');
  const rows = findings.map((f) => {
    const e = f.evidence;
    const subject = e.subject.label === e.subject.id ? e.subject.id : `${e.subject.label} (${e.subject.id})`;
    const last = e.lastActivity ? `${e.lastActivity.at.slice(0, 10)} ${e.lastActivity.type ?? ''}`.trim() : 'never';
    const cells = [f.kind, subject, ownerText(f.owner), last];
    const org = orgOf ? [fit(orgOf(f), ORG_COLUMN.width)] : [];
    return [...org, ...cells.map((c, i) => fit(c, COLUMNS[i]!.width)), evidenceText(e)].join('  ').trimEnd();
  });
  return [header.trimEnd(), ...rows];
}
