import type { Evidence } from '../domain/evidence.js';

/**
 * The only way evidence reaches a prompt: an explicit allow-list of fields, each checked
 * for its kind (an id, a name, a count, a date, a role or type word, a workspace). Any
 * other property — a key hint, the rule sentence, a previous reading, anything a future
 * field adds, free text people typed — is not copied, and a value that does not look
 * like its kind (a secret-shaped string in a name, a sentence where an id should be) is
 * dropped. Email addresses are reduced to their local part: names, not addresses.
 */
export interface Facts {
  finding: string;
  subject: { type: string; id: string | null; name: string | null };
  access: {
    kind: string | null;
    role: string | null;
    workspace: { id: string | null; name: string | null } | null;
    scope: string | null;
    status: string | null;
  };
  created: { on: string | null; by: Person | null };
  owner: { found_via: string | null; person: Person | null; missing_because: string | null };
  last_activity: { on: string | null; type: string | null } | null;
  last_admin_activity: { on: string | null; type: string | null } | null;
  idle_days: number | null;
  activity_events: { last_7_days: number | null; last_30_days: number | null; last_90_days: number | null };
  api_usage: {
    requests_30_days: number | null;
    tokens_30_days: number | null;
    requests_90_days: number | null;
    tokens_90_days: number | null;
  } | null;
  weekly_activity_oldest_first: number[];
  thresholds: Record<string, number>;
  alert: Record<string, unknown> | null;
}

interface Person {
  type: string | null;
  id: string | null;
  name: string | null;
}

/** Strings that look like credentials never pass, whatever field they hide in. */
const SECRET_SHAPED = /(sk-ant-|xox[a-z]-|xapp-|gh[pousr]_|AKIA[0-9A-Z]{8}|-----BEGIN|[A-Za-z0-9_+/=-]{40,})/i;

export const check = {
  id(v: unknown): string | null {
    return typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9_./:-]{0,159}$/.test(v) && !SECRET_SHAPED.test(v) ? v : null;
  },
  /** A person's, key's or workspace's name; an email becomes its local part. */
  name(v: unknown): string | null {
    if (typeof v !== 'string') return null;
    const email = /^([^@\s]+)@[^@\s]+$/.exec(v.trim());
    // Letters (any script), digits, spaces and light punctuation; nothing that reads as markup or a secret.
    const name = (email ? email[1]! : v).replace(/\s+/g, ' ').trim();
    if (name === '' || name.length > 80 || SECRET_SHAPED.test(name)) return null;
    return /^[\p{L}\p{N}][\p{L}\p{N} ._'()/&+:,#-]*$/u.test(name) ? name : null;
  },
  /** A day, `YYYY-MM-DD` (UTC), from an ISO date or time. */
  date(v: unknown): string | null {
    if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) return null;
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 10);
  },
  /** A role, a type or a reason code: a lowercase word. */
  word(v: unknown): string | null {
    return typeof v === 'string' && /^[a-z][a-z0-9_.]{0,63}$/.test(v) ? v : null;
  },
  count(v: unknown): number | null {
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v * 100) / 100 : null;
  },
};

type Kind = keyof typeof check | 'person' | 'daily';

/** Per alert kind, the anomaly fields a prompt may hold and what kind each one is. */
const ALERT_FIELDS: Record<string, Record<string, Kind>> = {
  usage_spike: {
    firstDay: 'date',
    lastDay: 'date',
    days: 'count',
    peakDay: 'date',
    peakRequests: 'count',
    baselineMean: 'count',
    daily: 'daily',
  },
  activity_after_removal: {
    ownerUserId: 'id',
    ownerEmail: 'name',
    removedAt: 'date',
    activityAt: 'date',
    activityType: 'word',
    firstDayAfterRemoval: 'date',
  },
  dormant_resumed: { dormantFindingOpenedAt: 'date', resumedAt: 'date', resumedWith: 'word' },
  privilege_grant: {
    activityType: 'word',
    grantedAt: 'date',
    role: 'word',
    previousRole: 'word',
    workspaceId: 'id',
    grantedBy: 'person',
  },
  unknown_actor: {
    actorType: 'word',
    firstActivityAt: 'date',
    lastActivityAt: 'date',
    lastActivityType: 'word',
    lastUsageDay: 'date',
    directoryListedAt: 'date',
  },
  revocation_undone: { reactivatedAt: 'date', previousStatus: 'word' },
};

const MAX_DAILY = 14;

function project(kind: Kind, v: unknown): unknown {
  switch (kind) {
    case 'person': {
      const p = v as { type?: unknown; id?: unknown; label?: unknown } | null;
      return p && typeof p === 'object' ? person(p) : null;
    }
    case 'daily':
      return Array.isArray(v)
        ? v.slice(-MAX_DAILY).map((d: { day?: unknown; requests?: unknown; baselineMean?: unknown }) => ({
            day: check.date(d?.day),
            requests: check.count(d?.requests),
            baseline_mean: check.count(d?.baselineMean),
          }))
        : null;
    default:
      return check[kind](v);
  }
}

function person(p: { type?: unknown; id?: unknown; label?: unknown }): Person {
  return { type: check.word(p.type), id: check.id(p.id), name: check.name(p.label) };
}

/** The facts of one piece of evidence that a prompt may contain, and nothing else. */
export function factsOf(e: Evidence): Facts {
  const a = e.access ?? ({} as Evidence['access']);
  const ws =
    a.workspaceId || a.workspaceName ? { id: check.id(a.workspaceId), name: check.name(a.workspaceName) } : null;
  const spec = ALERT_FIELDS[e.kind];
  const anomaly: Record<string, unknown> = e.anomaly ?? {};
  return {
    finding: check.word(e.kind) ?? 'unknown',
    subject: {
      type: check.word(e.subject?.type) ?? 'unknown',
      id: check.id(e.subject?.id),
      name: check.name(e.subject?.label),
    },
    access: {
      kind: check.word(a.kind),
      role: check.word(a.role),
      workspace: ws,
      scope: check.word(a.scope),
      status: check.word(a.status),
    },
    created: { on: check.date(e.createdAt), by: e.createdBy ? person(e.createdBy) : null },
    owner: {
      found_via: check.word(e.owner?.via),
      person:
        e.owner && (e.owner.userId || e.owner.email)
          ? { type: 'user', id: check.id(e.owner.userId), name: check.name(e.owner.email) }
          : null,
      missing_because: check.word(e.owner?.unownedReason),
    },
    last_activity: e.lastActivity ? { on: check.date(e.lastActivity.at), type: check.word(e.lastActivity.type) } : null,
    last_admin_activity: e.lastAdminActivity
      ? { on: check.date(e.lastAdminActivity.at), type: check.word(e.lastAdminActivity.type) }
      : null,
    idle_days: check.count(e.idleDays),
    activity_events: {
      last_7_days: check.count(e.counts?.d7),
      last_30_days: check.count(e.counts?.d30),
      last_90_days: check.count(e.counts?.d90),
    },
    api_usage: e.usage
      ? {
          requests_30_days: check.count(e.usage.requests30),
          tokens_30_days: check.count(e.usage.tokens30),
          requests_90_days: check.count(e.usage.requests90),
          tokens_90_days: check.count(e.usage.tokens90),
        }
      : null,
    weekly_activity_oldest_first: (Array.isArray(e.weekly) ? e.weekly : []).slice(-12).map((n) => check.count(n) ?? 0),
    thresholds: Object.fromEntries(
      Object.entries(e.thresholds ?? {})
        .filter(([k, v]) => check.word(k) !== null && check.count(v) !== null)
        .map(([k, v]) => [k, check.count(v)!]),
    ),
    alert: spec
      ? Object.fromEntries(Object.entries(spec).map(([key, kind]) => [key, project(kind, anomaly[key])]))
      : null,
  };
}
