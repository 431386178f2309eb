import type { PgTable } from 'drizzle-orm/pg-core';
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
import {
  apiKeyRow,
  inviteRow,
  memberRow,
  serviceAccountRow,
  userRow,
  workspaceRow,
} from '../../src/sync/directory/rows.js';

/** Any part of a scenario: the known organisation, or a small fixture a test builds. */
export type OrgFixture = Partial<
  Omit<KnownOrgScenario, 'now' | 'expectedFindings' | 'expectedResolutions' | 'policy' | 'organization'>
> & {
  /** When the directory was last listed (stamped as `last_seen_at` on rows still listed). */
  listedAt: Date;
  /** The organisation the directory, usage and prior findings belong to (issue 17); '' when omitted. */
  orgId?: string;
};

const date = (s: string | null | undefined): Date | null => (s ? new Date(s) : null);

/** When a scenario's directory entry was first listed, and when it stopped being listed. */
interface Lifetime {
  firstSeenAt: string;
  removedAt?: string;
}

async function insertRows<T extends PgTable>(db: Db, table: T, rows: Array<T['$inferInsert']>): Promise<void> {
  if (rows.length) await db.insert(table).values(rows);
}

/**
 * Writes a scenario straight into the directory and roll-up tables, as a sync would
 * have left them, so correlation can be tested without the sync: directory rows (with
 * first/last seen and removal times), daily key and seat usage, and Steward's prior
 * state (open findings, claims). Directory rows are made by ingest's own row builders
 * and activities stored by its own writer, so the daily roll-ups (who is credited,
 * what counts as administrative) are production's.
 */
export async function loadScenario(db: Db, s: OrgFixture): Promise<void> {
  const orgId = s.orgId ?? '';
  const seen = (l: Lifetime) => ({
    orgId,
    firstSeenAt: new Date(l.firstSeenAt),
    lastSeenAt: l.removedAt ? new Date(l.removedAt) : s.listedAt,
    removedAt: date(l.removedAt),
  });

  const listed = <W, R>(items: Array<{ wire: W } & Lifetime> | undefined, row: (wire: W) => R) =>
    (items ?? []).map((l) => ({ ...row(l.wire), ...seen(l) }));
  await insertRows(db, orgUsers, listed(s.users, userRow));
  await insertRows(db, invites, listed(s.invites, inviteRow));
  await insertRows(db, workspaces, listed(s.workspaces, workspaceRow));
  await insertRows(
    db,
    workspaceMembers,
    listed(s.workspaceMembers, (m) => memberRow(m, m.workspace_id)),
  );
  await insertRows(db, serviceAccounts, listed(s.serviceAccounts, serviceAccountRow));
  await insertRows(db, apiKeys, listed(s.apiKeys, apiKeyRow));
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
  await insertRows(
    db,
    keyUsageDaily,
    (s.keyUsage ?? []).map((u) => ({
      orgId,
      apiKeyId: u.apiKeyId,
      day: u.date,
      requests: u.requests,
      inputTokens: u.uncachedInputTokens,
      outputTokens: u.outputTokens,
    })),
  );
  await insertRows(
    db,
    seatUsageDaily,
    (s.seatUsage ?? []).map((u) => ({ orgId, userId: u.userId, day: u.date, actions: u.actions })),
  );
  await insertRows(
    db,
    findings,
    (s.priorFindings ?? []).map((f) => ({ ...priorFinding(f), orgId })),
  );
  await insertRows(
    db,
    claims,
    (s.claims ?? []).map((c) => ({ ...c, claimedAt: new Date(c.claimedAt) })),
  );
}

/** A finding Steward had already opened before the scenario's run. */
function priorFinding(f: NonNullable<OrgFixture['priorFindings']>[number]): typeof findings.$inferInsert {
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
}
