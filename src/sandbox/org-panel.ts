/**
 * The organisation panel of the sandbox page, from the two places that know what happened:
 * Steward's database (the outbox of Admin API actions, the audit log and its verification,
 * the evidence report and the CSV export, through the audit layer) and the simulated
 * organisation (who and what is still there, and the Admin API request as it arrived).
 */
import type { Writable } from 'node:stream';
import { count, desc, sql } from 'drizzle-orm';
import { exportAudit } from '../audit/export.js';
import { writeReport } from '../audit/report.js';
import { verifyAuditChain, type VerifyResult } from '../audit/verify.js';
import type { Database } from '../db/client.js';
import { auditLog, outboxActions, reviewItems } from '../db/schema/index.js';
import type { Clock } from '../domain/clock.js';
import type { AnthropicSim } from '../sim/anthropic/index.js';
import type { AdminChange, AuditRowSummary, ChainState, OrgPanel, OrgPanelSource } from './page/index.js';

const SUMMARY: Record<string, string> = {
  deactivate_key: 'API key deactivated',
  restore_key: 'API key restored',
  remove_member: 'Member removed from the organisation',
  lower_org_role: 'Organisation role lowered',
  lower_workspace_role: 'Workspace role lowered',
  delete_invite: 'Invite deleted',
  archive_service_account: 'Service account archived',
};

const CHANGES_SHOWN = 40;
const AUDIT_ROWS_SHOWN = 25;

type OutboxRow = typeof outboxActions.$inferSelect;

export interface OrgPanelDeps {
  database: Database;
  anthropic: AnthropicSim;
  now: Clock;
}

export function sandboxOrgPanel({ database, anthropic, now }: OrgPanelDeps): OrgPanelSource {
  const db = database.db;
  let verified: { seq: number; result: VerifyResult; at: Date } | null = null;

  /** Verifies the whole chain again whenever it has grown (cheap at sandbox sizes). */
  async function chain(headSeq: number): Promise<ChainState> {
    if (!verified || verified.seq !== headSeq)
      verified = { seq: headSeq, result: await verifyAuditChain(db), at: now() };
    const r = verified.result;
    return {
      ok: r.ok,
      rows: r.rows,
      head: r.head,
      problem: r.ok ? null : r.problem,
      checkedAt: verified.at,
    };
  }

  /** The organisation an action was about (issue 17: `--orgs`), by the uuid Steward stored. */
  const stateOf = (orgId: string) => anthropic.organizations().find((o) => o.uuid === orgId)?.state ?? anthropic.state;

  function label(type: string, id: string, orgId: string): string | null {
    const state = stateOf(orgId);
    if (type === 'api_key') return state.apiKey(id)?.name ?? null;
    if (type === 'user') return state.user(id)?.email ?? null;
    if (type === 'invite') return state.invites.get(id)?.email ?? null;
    if (type === 'workspace_member') {
      const [, userId] = id.split('/');
      return userId ? (state.user(userId)?.email ?? null) : null;
    }
    return null;
  }

  /** The last Admin API request carrying the action's idempotency key, as the organisation saw it. */
  function request(a: OutboxRow): AdminChange['request'] {
    const calls = anthropic.calls.all.filter((c) => c.headers['idempotency-key'] === a.idempotencyKey);
    const last = calls.at(-1);
    return last ? { method: last.method, path: last.path, status: last.status } : null;
  }

  function change(a: OutboxRow): AdminChange {
    const status: AdminChange['status'] =
      a.status === 'succeeded' || a.status === 'failed' || a.status === 'dry_run'
        ? a.status
        : a.status === 'cancelled'
          ? 'failed'
          : 'pending';
    const detail = a.status === 'cancelled' ? 'cancelled before it ran' : a.lastError;
    return {
      at: a.completedAt ?? a.createdAt,
      kind: a.kind,
      summary: SUMMARY[a.kind] ?? a.kind,
      target: { type: a.targetType, id: a.targetId, label: label(a.targetType, a.targetId, a.orgId) },
      status,
      requestedBy: a.requestedBySlackId,
      request: request(a),
      detail: detail ?? null,
    };
  }

  return {
    async snapshot(): Promise<OrgPanel> {
      const actions = await db.select().from(outboxActions).orderBy(desc(outboxActions.createdAt)).limit(CHANGES_SHOWN);
      const rows = await db.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(AUDIT_ROWS_SHOWN);
      const [open] = await db
        .select({ n: count() })
        .from(reviewItems)
        .where(sql`${reviewItems.status} in ('open', 'pending')`);
      const orgs = anthropic.organizations();
      let members = 0;
      let activeKeys = 0;
      for (const { state } of orgs) {
        members += state.activeUsers().length;
        activeKeys += [...state.apiKeys.values()].filter((k) => state.apiKeyStatus(k) === 'active').length;
      }
      const audit: AuditRowSummary[] = rows.map((r) => ({
        seq: r.seq,
        at: r.at,
        actor: { type: r.actorType, slackId: r.actorSlackId, label: r.actorLabel },
        action: r.action,
        subject: r.subjectType && r.subjectId ? { type: r.subjectType, id: r.subjectId } : null,
        outcome: r.outcome,
        reviewItemId: r.reviewItemId,
        hash: r.hash,
      }));
      return {
        organisation: {
          name:
            orgs.length === 1
              ? `${anthropic.state.org.name} (simulated Claude organisation)`
              : `${orgs.map((o) => o.name).join(', ')} (simulated Claude organisations under one parent)`,
          stats: [
            { label: orgs.length === 1 ? 'members' : 'seats', value: members },
            { label: 'active API keys', value: activeKeys },
            { label: 'open reviews', value: open?.n ?? 0 },
          ],
        },
        changes: actions.map(change),
        audit: { rows: audit, chain: await chain(rows[0]?.seq ?? 0) },
      };
    },
    async writeEvidenceReport(out: Writable) {
      await writeReport(db, { now: now() }, out);
    },
    async writeCsvExport(out: Writable) {
      await exportAudit(db, { format: 'csv', now: now() }, out);
    },
  };
}
