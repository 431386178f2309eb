import { and, desc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  apiKeys,
  findings,
  keyUsageDaily,
  orgUsers,
  principalActivityDaily,
  principalActivitySummary,
  serviceAccounts,
  workspaceMembers,
  workspaces,
} from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import type { Citation } from '../types.js';
import { check } from '../facts.js';
import { defineTool, MAX_ROWS } from './tool.js';

const input = z.strictObject({ id: z.string().min(3).max(200) });

const dayOf = (d: Date | null | undefined): string | null => (d ? d.toISOString().slice(0, 10) : null);
const daysBefore = (now: Date, n: number): string =>
  new Date(now.getTime() - n * 86_400_000).toISOString().slice(0, 10);

/**
 * A principal's or key's access and activity: who or what it is, what it can reach, when
 * it was last active, its recent counts and its open findings. Read from the directory
 * and the daily roll-ups sync keeps, as correlation reads them.
 */
export const principalAccess = defineTool({
  name: 'principal_access',
  description:
    "One principal's access and activity: a member (user_… id or email), an API key (apikey_…) or a service " +
    'account (svcacct_…). Returns role, workspaces, keys, creator, last activity, 30/90-day counts and open findings, ' +
    'with the ids to cite.',
  inputSchema: {
    type: 'object',
    properties: { id: { type: 'string', description: 'user_…, an email, apikey_… or svcacct_…' } },
    required: ['id'],
    additionalProperties: false,
  },
  input,
  async run(db, { id }, now) {
    if (id.startsWith('apikey_')) return keyAccess(db, id, now);
    if (id.startsWith('svcacct_')) return serviceAccountAccess(db, id, now);
    return userAccess(db, id, now);
  },
});

async function activity(db: Db, principalId: string, now: Date) {
  // A row per organisation its activity named, and '' for none (issue 17): the latest of them.
  const rows = await db
    .select()
    .from(principalActivitySummary)
    .where(eq(principalActivitySummary.principalId, principalId));
  const byLastEvent = rows.filter((r) => r.lastEventAt).sort((a, b) => +b.lastEventAt! - +a.lastEventAt!);
  const usageDays = rows.map((r) => r.lastUsageDay).filter((d): d is string => d !== null);
  const summary = rows.length
    ? {
        lastEventAt: byLastEvent[0]?.lastEventAt ?? null,
        lastEventType: byLastEvent[0]?.lastEventType ?? null,
        lastUsageDay: usageDays.sort().at(-1) ?? null,
      }
    : undefined;
  const [counts] = await db
    .select({
      d30: sql<number>`coalesce(sum(${principalActivityDaily.events}) filter (where ${principalActivityDaily.day} >= ${daysBefore(now, 30)}), 0)::int`,
      d90: sql<number>`coalesce(sum(${principalActivityDaily.events}), 0)::int`,
    })
    .from(principalActivityDaily)
    .where(
      and(eq(principalActivityDaily.principalId, principalId), gte(principalActivityDaily.day, daysBefore(now, 90))),
    );
  return {
    last_event: summary ? { on: dayOf(summary.lastEventAt), type: check.word(summary.lastEventType) } : null,
    last_usage_day: check.date(summary?.lastUsageDay),
    events_30_days: Number(counts?.d30 ?? 0),
    events_90_days: Number(counts?.d90 ?? 0),
  };
}

async function openFindings(db: Db, subjectIds: string[]) {
  if (subjectIds.length === 0) return [];
  const rows = await db
    .select({ id: findings.id, kind: findings.kind, subjectId: findings.subjectId })
    .from(findings)
    .where(and(eq(findings.status, 'open'), inArray(findings.subjectId, subjectIds)))
    .limit(MAX_ROWS);
  return rows.map((r) => ({ finding_id: r.id, kind: r.kind, subject_id: check.id(r.subjectId) }));
}

async function nameOfPrincipal(db: Db, type: string | null, id: string | null): Promise<string | null> {
  if (!id) return null;
  if (type === 'service_account') {
    const [s] = await db.select({ name: serviceAccounts.name }).from(serviceAccounts).where(eq(serviceAccounts.id, id));
    return check.name(s?.name);
  }
  const [u] = await db.select({ email: orgUsers.email }).from(orgUsers).where(eq(orgUsers.id, id));
  return check.name(u?.email);
}

async function keyAccess(db: Db, id: string, now: Date) {
  const [k] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  if (!k) return { result: { found: false, id: check.id(id) }, rows: [] };
  const [ws] = k.workspaceId ? await db.select().from(workspaces).where(eq(workspaces.id, k.workspaceId)) : [];
  const [usage] = await db
    .select({
      r30: sql<number>`coalesce(sum(${keyUsageDaily.requests}) filter (where ${keyUsageDaily.day} >= ${daysBefore(now, 30)}), 0)::bigint`,
      r90: sql<number>`coalesce(sum(${keyUsageDaily.requests}), 0)::bigint`,
    })
    .from(keyUsageDaily)
    .where(and(eq(keyUsageDaily.apiKeyId, id), gte(keyUsageDaily.day, daysBefore(now, 90))));
  const open = await openFindings(db, [id]);
  const rows: Citation[] = [
    { kind: 'api_key', id },
    ...open.map((f) => ({ kind: 'finding' as const, id: f.finding_id })),
  ];
  return {
    result: {
      found: true,
      api_key: {
        id: check.id(k.id),
        name: check.name(k.name),
        status: check.word(k.status),
        removed_on: dayOf(k.removedAt),
        workspace: k.workspaceId ? { id: check.id(k.workspaceId), name: check.name(ws?.name) } : null,
        scope: check.word(k.scopeType),
        created_on: dayOf(k.createdAt),
        created_by: {
          type: check.word(k.createdByType),
          id: check.id(k.createdById),
          name: await nameOfPrincipal(db, k.createdByType, k.createdById),
        },
        principal: {
          type: check.word(k.principalType),
          id: check.id(k.principalId),
          name: await nameOfPrincipal(db, k.principalType, k.principalId),
        },
      },
      activity: await activity(db, id, now),
      requests_30_days: Number(usage?.r30 ?? 0),
      requests_90_days: Number(usage?.r90 ?? 0),
      open_findings: open,
    },
    rows,
  };
}

async function userAccess(db: Db, idOrEmail: string, now: Date) {
  const byEmail = idOrEmail.includes('@');
  const [u] = await db
    .select()
    .from(orgUsers)
    .where(byEmail ? eq(sql`lower(${orgUsers.email})`, idOrEmail.toLowerCase()) : eq(orgUsers.id, idOrEmail));
  if (!u) return { result: { found: false }, rows: [] };
  const memberships = await db
    .select({ workspaceId: workspaceMembers.workspaceId, role: workspaceMembers.workspaceRole, name: workspaces.name })
    .from(workspaceMembers)
    .leftJoin(workspaces, eq(workspaces.id, workspaceMembers.workspaceId))
    .where(and(eq(workspaceMembers.userId, u.id), isNull(workspaceMembers.removedAt)))
    .limit(MAX_ROWS);
  const keys = await db
    .select()
    .from(apiKeys)
    .where(or(eq(apiKeys.createdById, u.id), eq(apiKeys.principalId, u.id)))
    .orderBy(desc(apiKeys.createdAt))
    .limit(MAX_ROWS);
  const open = await openFindings(db, [u.id, ...keys.map((k) => k.id)]);
  const rows: Citation[] = [
    { kind: 'user', id: u.id },
    ...keys.map((k) => ({ kind: 'api_key' as const, id: k.id })),
    ...open.map((f) => ({ kind: 'finding' as const, id: f.finding_id })),
  ];
  return {
    result: {
      found: true,
      member: {
        id: check.id(u.id),
        name: check.name(u.email),
        role: check.word(u.role),
        added_on: dayOf(u.addedAt),
        removed_on: dayOf(u.removedAt),
      },
      workspaces: memberships.map((m) => ({
        id: check.id(m.workspaceId),
        name: check.name(m.name),
        role: check.word(m.role),
      })),
      api_keys: keys.map((k) => ({
        id: check.id(k.id),
        name: check.name(k.name),
        status: check.word(k.status),
        created_on: dayOf(k.createdAt),
        as: k.principalId === u.id ? 'principal' : 'creator',
      })),
      activity: await activity(db, u.id, now),
      open_findings: open,
    },
    rows,
  };
}

async function serviceAccountAccess(db: Db, id: string, now: Date) {
  const [s] = await db.select().from(serviceAccounts).where(eq(serviceAccounts.id, id));
  if (!s) return { result: { found: false, id: check.id(id) }, rows: [] };
  const keys = await db.select().from(apiKeys).where(eq(apiKeys.principalId, id)).limit(MAX_ROWS);
  const open = await openFindings(db, [id, ...keys.map((k) => k.id)]);
  return {
    result: {
      found: true,
      service_account: {
        id: check.id(s.id),
        name: check.name(s.name),
        status: check.word(s.status),
        created_on: dayOf(s.createdAt),
        created_by: check.id(s.createdById),
      },
      api_keys: keys.map((k) => ({ id: check.id(k.id), name: check.name(k.name), status: check.word(k.status) })),
      activity: await activity(db, id, now),
      open_findings: open,
    },
    rows: [
      { kind: 'service_account' as const, id },
      ...keys.map((k) => ({ kind: 'api_key' as const, id: k.id })),
      ...open.map((f) => ({ kind: 'finding' as const, id: f.finding_id })),
    ],
  };
}
