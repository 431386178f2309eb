import type { Facts } from './facts.js';

/**
 * Steward's own words for the evidence: what the reviewer reads when assist is off, and
 * whenever Claude is slow, failing, refusing or over budget. Deterministic, from the
 * same allow-listed facts a prompt would hold, so both readings say the same things.
 */

const ACCESS: Record<string, string> = {
  api_key: 'API key',
  seat: 'Seat',
  service_account: 'Service account',
  org_admin: 'Organisation admin role',
  workspace_admin: 'Workspace admin role',
  invite: 'Pending invite',
};

const quote = (s: string | null | undefined, fallback: string): string => (s ? `“${s}”` : fallback);
const num = (n: number | null | undefined): string => (n ?? 0).toLocaleString('en-US');
const who = (p: { name: string | null; id: string | null } | null | undefined): string | null =>
  p ? (p.name ?? p.id) : null;

function what(f: Facts): string {
  const label = ACCESS[f.access.kind ?? ''] ?? 'Access';
  const name = quote(f.subject.name, f.subject.id ?? 'unnamed');
  const holder = f.access.kind === 'seat' || f.access.kind?.endsWith('admin') ? ` of ${name}` : ` ${name}`;
  const role = f.access.role ? ` (${f.access.role.replace(/_/g, ' ')})` : '';
  const ws = f.access.workspace ? ` in workspace ${f.access.workspace.name ?? f.access.workspace.id}` : '';
  const by = who(f.created.by);
  const created = f.created.on ? `, created ${f.created.on}${by ? ` by ${by}` : ''}` : by ? `, created by ${by}` : '';
  return `${label}${holder}${role}${ws}${created}.`;
}

function activity(f: Facts): string {
  const last = f.last_activity?.on;
  const idle = f.idle_days !== null ? `, ${num(f.idle_days)} days without activity` : '';
  const recent = `${num(f.activity_events.last_30_days)} events in the last 30 days, ${num(f.activity_events.last_90_days)} in 90`;
  const usage = f.api_usage ? `, ${num(f.api_usage.requests_90_days)} API requests in 90 days` : '';
  const owner = who(f.owner.person);
  const ownerText = owner
    ? ` Owner: ${owner}${f.owner.found_via ? ` (${f.owner.found_via})` : ''}.`
    : f.owner.missing_because
      ? ` Nobody is accountable (${f.owner.missing_because.replace(/_/g, ' ')}).`
      : '';
  return `${last ? `Last active ${last}${idle}` : 'Never used'}; ${recent}${usage}.${ownerText}`;
}

/** Two sentences (plus the owner) for an access review. */
export function templateSummary(f: Facts): string {
  return `${what(f)} ${activity(f)}`;
}

/** Three lines for an alert: what happened, why it is unusual, what to check first. */
export function templateTriage(f: Facts): string {
  const a: Record<string, unknown> = f.alert ?? {};
  const s = (k: string): string => {
    const v = a[k];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : '?';
  };
  const name = quote(f.subject.name, f.subject.id ?? 'this access');
  const owner = who(f.owner.person) ?? 'its owner';
  const [happened, unusual, first] = ((): [string, string, string] => {
    switch (f.finding) {
      case 'usage_spike':
        return [
          `${name} made ${num(a['peakRequests'] as number)} requests on ${s('peakDay')} (${s('days')} day(s) from ${s('firstDay')}).`,
          `Its trailing mean was ${num(a['baselineMean'] as number)} requests a day; the policy alerts above ${num(f.thresholds['factor'] ?? null)}× that and above ${num(f.thresholds['min_requests'] ?? null)} requests.`,
          `Ask ${owner} whether a new job or a leak explains the traffic.`,
        ];
      case 'activity_after_removal':
        return [
          `${name} was used on ${s('activityAt')} (${s('activityType')}).`,
          `Its owner ${who({ name: a['ownerEmail'] as string | null, id: a['ownerUserId'] as string | null }) ?? ''} was removed on ${s('removedAt')}; access of a removed person should be silent.`,
          'Find who holds it now, and revoke it unless someone accountable claims it.',
        ];
      case 'dormant_resumed':
        return [
          `${name} was active again on ${s('resumedAt')} (${s('resumedWith')}).`,
          `It had been dormant: a dormant finding was open since ${s('dormantFindingOpenedAt')}.`,
          `Ask ${owner} whether this was them.`,
        ];
      case 'privilege_grant':
        return [
          `${name} was granted ${s('role')}${a['previousRole'] ? ` (was ${s('previousRole')})` : ''} on ${s('grantedAt')}${who(a['grantedBy'] as Facts['created']['by']) ? ` by ${who(a['grantedBy'] as Facts['created']['by'])}` : ''}.`,
          'New administrative rights widen what this identity can change.',
          'Confirm the grant was requested and approved.',
        ];
      case 'unknown_actor':
        return [
          `Actor ${f.subject.id ?? '?'} (${s('actorType')}) was active from ${s('firstActivityAt')} to ${s('lastActivityAt')}.`,
          `The directory listed on ${s('directoryListedAt')} does not know this id.`,
          'Find which key or account it is: it may be a credential the directory cannot list.',
        ];
      case 'revocation_undone':
        return [
          `${name} was set back to active on ${s('reactivatedAt')} (it was ${s('previousStatus')}).`,
          'Steward had deactivated it on a review decision; someone else has reversed that decision.',
          'Ask who turned it back on and why; Revoke deactivates it again.',
        ];
      default:
        return [templateSummary(f), 'Steward flagged it as unusual.', 'Check the evidence below.'];
    }
  })();
  return `What happened: ${happened}\nWhy it is unusual: ${unusual}\nCheck first: ${first}`;
}
