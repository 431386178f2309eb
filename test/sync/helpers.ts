import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { createSdkAdminApi, type SdkAdminApiOptions } from '../../src/anthropic/sdk-admin-api.js';
import { createComplianceFeedClient, type ComplianceFeedOptions } from '../../src/anthropic/compliance/client.js';
import { defaultPolicy, parsePolicy, type LoadedPolicy } from '../../src/config/policy.js';
import { queryRows } from '../../src/db/client.js';
import type { Executor } from '../../src/db/types.js';
import { createLogger, type Logger } from '../../src/log.js';
import { startAnthropicSim, type AnthropicSim, type AnthropicSimOptions } from '../../src/sim/anthropic/index.js';
import { createSyncService, type SyncService, type SyncServiceDeps } from '../../src/sync/service.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

export const NOW = new Date('2026-11-20T12:00:00Z');

/** Service deps to override, plus options for the real SDK adapter and feed client. */
export type ServiceOverrides = Partial<Omit<SyncServiceDeps, 'admin' | 'feed'>> & {
  admin?: Partial<SdkAdminApiOptions>;
  feed?: Partial<ComplianceFeedOptions>;
};

export interface SyncRig {
  sim: AnthropicSim;
  db: TestDatabase;
  logger: Logger;
  logLines: string[];
  service(over?: ServiceOverrides): SyncService;
  close(): Promise<void>;
}

/**
 * A simulated organisation and a fresh database, with the sync service wired to them
 * through the real SDK and the real feed client. Clocks are pinned to NOW; the feed
 * does not record its own reads (so windows stay the same between runs).
 */
export async function startRig(simOpts: AnthropicSimOptions = {}, db?: TestDatabase): Promise<SyncRig> {
  const sim = await startAnthropicSim({
    now: () => NOW,
    ...simOpts,
    emit: { complianceAccess: false, ...simOpts.emit },
  });
  const database = db ?? (await createTestDatabase());
  const logLines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    secrets: [sim.config.adminKey, sim.config.complianceKey],
    destination: new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    }),
  });
  return {
    sim,
    db: database,
    logger,
    logLines,
    service(over = {}) {
      const { admin: adminOpts, feed: feedOpts, ...rest } = over;
      return createSyncService({
        db: database.db,
        logger,
        policy: defaultPolicy(),
        now: () => NOW,
        admin: createSdkAdminApi({
          apiKey: sim.config.adminKey,
          baseUrl: sim.url,
          maxRetries: 2,
          timeoutMs: 5_000,
          ...adminOpts,
        }),
        feed: createComplianceFeedClient({
          apiKey: sim.config.complianceKey,
          baseUrl: sim.url,
          maxRetries: 3,
          timeoutMs: 5_000,
          backoff: { baseDelayMs: 20, maxDelayMs: 100 },
          logger,
          ...feedOpts,
        }),
        ...rest,
      });
    },
    async close() {
      await sim.close();
      if (!db) await database.destroy();
    },
  };
}

export function policyWith(yaml: string): LoadedPolicy {
  return parsePolicy(yaml, 'test-policy.yaml');
}

export async function rows<T extends Record<string, unknown> = Record<string, unknown>>(
  ex: Executor,
  query: ReturnType<typeof sql>,
): Promise<T[]> {
  return queryRows<T>(ex, query);
}

export async function one<T extends Record<string, unknown>>(ex: Executor, query: ReturnType<typeof sql>): Promise<T> {
  const [row] = await queryRows<T>(ex, query);
  if (!row) throw new Error('expected a row');
  return row;
}

/** Tables sync writes (directly or through triggers), with the columns that identify a row. */
export const SYNC_TABLES: Record<string, string> = {
  org_users: 'org_id, id',
  invites: 'org_id, id',
  workspaces: 'org_id, id',
  workspace_members: 'org_id, workspace_id, user_id',
  service_accounts: 'org_id, id',
  api_keys: 'org_id, id',
  activity_events: 'id',
  principal_activity_daily: 'org_id, principal_id, day',
  key_usage_daily: 'org_id, api_key_id, day',
  seat_usage_daily: 'org_id, user_id, day',
  sync_checkpoints: 'source',
  activity_catchup_windows: 'feed, gte',
  principal_activity_summary: 'org_id, principal_id',
  principal_activity_recent: 'org_id, principal_id',
  privilege_grants: 'id',
};

/**
 * Every row of every table sync writes, as sorted JSON lines. The database's own
 * clock shows up only in the `updated_at` of the two tables the correlation triggers
 * maintain (they use now()); that column is left out there.
 */
const TRIGGER_CLOCKED = new Set(['principal_activity_summary', 'principal_activity_recent']);

export async function snapshot(ex: Executor): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [table, key] of Object.entries(SYNC_TABLES)) {
    const drop = TRIGGER_CLOCKED.has(table) ? ` - 'updated_at'` : '';
    const r = await queryRows<{ j: unknown }>(
      ex,
      sql.raw(`select (to_jsonb(t)${drop})::text as j from ${table} t order by ${key}`),
    );
    out[table] = r.map((x) => String(x.j));
  }
  return out;
}
