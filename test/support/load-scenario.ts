import type { Db } from '../../src/db/types.js';
import {
  apiKeys,
  claims,
  findings,
  invites,
  keyUsageDaily,
  orgUsers,
  seatUsageDaily,
  serviceAccounts,
  workspaceMembers,
  workspaces,
} from '../../src/db/schema/index.js';
import type { FindingKind, SubjectType } from '../../src/domain/findings.js';
import type { KnownOrgScenario } from '../../src/sim/scenarios/known-org.js';
import { stateFingerprint } from '../../src/correlate/fingerprint.js';
import type { Activity } from '../../src/anthropic/compliance/schema.js';
import { RollupAccumulator } from '../../src/sync/activities/rollup.js';
import { PageWriter, preparePage, upsertRollups } from '../../src/sync/activities/write.js';

/** Any part of a scenario: the known organisation, or a small fixture a test builds. */
export type OrgFixture = Partial<
  Omit<KnownOrgScenario, 'now' | 'expectedFindings' | 'expectedResolutions' | 'policy' | 'organization'>
> & {
  /** When the directory was last listed (stamped as `last_seen_at` on rows still listed). */
  listedAt: Date;
};

const date = (s: string | null | undefined): Date | null => (s ? new Date(s) : null);

/**
 * Writes a scenario straight into the directory and roll-up tables, as a sync would
 * have left them, so correlation can be tested without the sync: directory rows (with
 * first/last seen and removal times), daily key and seat usage, and Steward's prior
 * state (open findings, claims). Activities are stored by ingest's own writer, so their
 * daily roll-ups (who is credited, what counts as administrative) are production's.
 */
export async function loadScenario(db: Db, s: OrgFixture): Promise<void> {
  const seen = (l: { firstSeenAt: string; removedAt?: string }) => ({
    firstSeenAt: new Date(l.firstSeenAt),
    lastSeenAt: l.removedAt ? new Date(l.removedAt) : s.listedAt,
    removedAt: date(l.removedAt),
  });

  if (s.users?.length) {
    await db.insert(orgUsers).values(
      s.users.map((u) => ({
        id: u.wire.id,
        email: u.wire.email,
        name: u.wire.name,
        role: u.wire.role,
        addedAt: new Date(u.wire.added_at),
        raw: u.wire as unknown as Record<string, unknown>,
        ...seen(u),
      })),
    );
  }
  if (s.invites?.length) {
    await db.insert(invites).values(
      s.invites.map((i) => ({
        id: i.wire.id,
        email: i.wire.email,
        role: i.wire.role,
        status: i.wire.status,
        invitedAt: new Date(i.wire.invited_at),
        expiresAt: date(i.wire.expires_at),
        acceptedAt: date(i.wire.accepted_at),
        raw: i.wire as unknown as Record<string, unknown>,
        ...seen(i),
      })),
    );
  }
  if (s.workspaces?.length) {
    await db.insert(workspaces).values(
      s.workspaces.map((w) => ({
        id: w.wire.id,
        name: w.wire.name,
        createdAt: new Date(w.wire.created_at),
        archivedAt: date(w.wire.archived_at),
        raw: w.wire as unknown as Record<string, unknown>,
        ...seen(w),
      })),
    );
  }
  if (s.workspaceMembers?.length) {
    await db.insert(workspaceMembers).values(
      s.workspaceMembers.map((m) => ({
        workspaceId: m.wire.workspace_id,
        userId: m.wire.user_id,
        workspaceRole: m.wire.workspace_role,
        raw: m.wire as unknown as Record<string, unknown>,
        ...seen(m),
      })),
    );
  }
  if (s.serviceAccounts?.length) {
    await db.insert(serviceAccounts).values(
      s.serviceAccounts.map((a) => ({
        id: a.wire.id,
        name: a.wire.name,
        status: a.wire.archived_at ? 'archived' : 'active',
        createdAt: new Date(a.wire.created_at),
        createdById: a.wire.created_by_actor_id,
        raw: a.wire as unknown as Record<string, unknown>,
        ...seen(a),
      })),
    );
  }
  if (s.apiKeys?.length) {
    await db.insert(apiKeys).values(
      s.apiKeys.map((k) => {
        const p = k.wire.principal;
        const scope = k.wire.scope as { type: string; workspace_id?: string } | null | undefined;
        const legacyWorkspace = (k.wire as unknown as { workspace_id?: string | null }).workspace_id ?? null;
        return {
          id: k.wire.id,
          name: k.wire.name,
          status: k.wire.status,
          createdAt: new Date(k.wire.created_at),
          createdByType: k.wire.created_by?.type ?? null,
          createdById: k.wire.created_by?.id ?? null,
          principalType: p?.type ?? null,
          principalId: p ? (p.type === 'user_actor' ? p.user_id : p.service_account_id) : null,
          scopeType: scope?.type ?? (legacyWorkspace ? 'workspace' : null),
          workspaceId: scope?.workspace_id ?? legacyWorkspace,
          expiresAt: date(k.wire.expires_at),
          partialKeyHint: k.wire.partial_key_hint,
          raw: k.wire as unknown as Record<string, unknown>,
          ...seen(k),
        };
      }),
    );
  }
  if (s.activities?.length) {
    const activities = s.activities as unknown as Activity[];
    await db.transaction(async (tx) => {
      const rollups = new RollupAccumulator();
      const writer = new PageWriter(tx, () => s.listedAt, rollups, 'careful');
      await writer.write(preparePage(activities));
      await writer.flush();
      await upsertRollups(tx, rollups);
    });
  }
  if (s.keyUsage?.length) {
    await db.insert(keyUsageDaily).values(
      s.keyUsage.map((u) => ({
        apiKeyId: u.apiKeyId,
        day: u.date,
        requests: u.requests,
        inputTokens: u.uncachedInputTokens,
        outputTokens: u.outputTokens,
      })),
    );
  }
  if (s.seatUsage?.length) {
    await db
      .insert(seatUsageDaily)
      .values(s.seatUsage.map((u) => ({ userId: u.userId, day: u.date, actions: u.actions })));
  }
  if (s.priorFindings?.length) {
    await db.insert(findings).values(
      s.priorFindings.map((f) => {
        const subject = { type: f.subjectType as SubjectType, id: f.subjectId };
        return {
          fingerprint: stateFingerprint(f.kind as FindingKind, subject),
          kind: f.kind,
          subjectType: f.subjectType,
          subjectId: f.subjectId,
          status: 'open',
          evidence: {
            kind: f.kind,
            subject: { ...subject, label: f.subjectId },
            lastActivity: f.lastActivityAt ? { at: f.lastActivityAt, type: null } : null,
          },
          owner: null,
          firstDetectedAt: new Date(f.firstDetectedAt),
          lastDetectedAt: new Date(f.firstDetectedAt),
        };
      }),
    );
  }
  if (s.claims?.length) {
    await db.insert(claims).values(
      s.claims.map((c) => ({
        subjectType: c.subjectType,
        subjectId: c.subjectId,
        claimedBySlackId: c.claimedBySlackId,
        claimedByEmail: c.claimedByEmail,
        claimedAt: new Date(c.claimedAt),
      })),
    );
  }
}
