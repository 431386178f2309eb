import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, sql } from 'drizzle-orm';
import { appendAudit, type AuditActor } from '../../src/audit/append.js';
import type { Evidence } from '../../src/domain/evidence.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { auditLog } from '../../src/db/schema/index.js';
import type { Executor } from '../../src/db/types.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

export type AuditRow = typeof auditLog.$inferSelect;

export function makeEvidence(over: Partial<Evidence> = {}): Evidence {
  return {
    kind: 'dormant_key',
    rule: 'Active key with no usage for 90 days or more',
    subject: { type: 'api_key', id: 'apikey_01', label: 'ci-deploy' },
    access: {
      kind: 'api_key',
      role: null,
      workspaceId: 'wrkspc_01',
      workspaceName: 'Platform',
      scope: 'workspace',
      keyHint: 'sk-ant-api03-abc...xyz',
      status: 'active',
    },
    createdAt: '2024-01-10T09:00:00.000Z',
    createdBy: { type: 'user', id: 'user_01', label: 'ada@example.com' },
    owner: { userId: 'user_01', email: 'ada@example.com', slackId: 'U0ADA', via: 'creator' },
    lastActivity: { at: '2025-01-02T10:00:00.000Z', type: 'api_request' },
    counts: { d7: 0, d30: 2, d90: 15 },
    usage: { requests30: 2, tokens30: 1200, requests90: 15, tokens90: 9000 },
    weekly: [5, 3, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0],
    thresholds: { dormantKeyDays: 90 },
    anomaly: null,
    asOf: '2025-03-01T00:00:00.000Z',
    ...over,
  };
}

export const reviewer: AuditActor = { type: 'slack_user', slackId: 'U0ADA', anthropicId: 'user_01', label: 'Ada' };

/** Appends `n` varied rows in one transaction each (the way services write them). */
export async function appendRows(db: Executor, n: number, start = new Date('2025-03-01T00:00:00Z')): Promise<void> {
  for (let i = 0; i < n; i++) {
    const at = new Date(start.getTime() + i * 60_000);
    if (i % 3 === 0) {
      await appendAudit(db, {
        actor: reviewer,
        action: 'review.decided',
        subject: { type: 'api_key', id: `apikey_${i}` },
        reviewItemId: `ri_${i}`,
        outcome: i % 2 === 0 ? 'keep' : 'revoke',
        evidence: makeEvidence({
          subject: { type: 'api_key', id: `apikey_${i}`, label: `key ${i}` },
        }) as unknown as Record<string, unknown>,
        details: { decision: 'keep', reason: `row ${i}`, keepUntil: '2025-06-01T00:00:00.000Z' },
        policyVersion: 'pv1',
        at,
      });
    } else {
      await appendAudit(db, {
        actor: { type: 'system', job: 'sync' },
        action: 'sync.completed',
        outcome: 'succeeded',
        details: { pages: i, note: 'ünïcødé ✓' },
        at,
      });
    }
  }
}

export async function readChain(db: Executor): Promise<AuditRow[]> {
  return db.select().from(auditLog).orderBy(asc(auditLog.seq));
}

/** Runs raw tampering with the append-only trigger switched off, as an attacker with DDL rights could. */
export async function tamper(db: Executor, fn: () => Promise<unknown>): Promise<void> {
  await db.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
  try {
    await fn();
  } finally {
    await db.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
  }
}

/** Empties the log between tests that share one database (TRUNCATE is refused otherwise). */
export async function resetAuditLog(db: Executor): Promise<void> {
  await db.execute(sql`alter table audit_log disable trigger audit_log_no_truncate`);
  try {
    await db.execute(sql`truncate audit_log`);
  } finally {
    await db.execute(sql`alter table audit_log enable trigger audit_log_no_truncate`);
  }
}

/**
 * A database the CLI can open by itself through its environment: a PGlite data
 * directory (which only one process may hold, so tests open it around each use) or
 * the test's PostgreSQL database.
 */
export interface CliDatabase {
  env: NodeJS.ProcessEnv;
  use<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  destroy(): Promise<void>;
}

export async function createCliDatabase(): Promise<CliDatabase> {
  if (process.env.TEST_DATABASE_URL) {
    const t: TestDatabase = await createTestDatabase();
    return { env: { DATABASE_URL: t.url }, use: (fn) => fn(t), destroy: () => t.destroy() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'steward-audit-'));
  const dataDir = join(dir, 'data');
  return {
    env: { STEWARD_DATA_DIR: dataDir },
    async use(fn) {
      const database = await openDatabase({ dataDir });
      try {
        await migrateDatabase(database);
        return await fn(database);
      } finally {
        await database.close();
      }
    },
    async destroy() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function memoryIo(): { out: string[]; err: string[]; io: { out(l: string): void; err(l: string): void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l) => out.push(l), err: (l) => err.push(l) } };
}
