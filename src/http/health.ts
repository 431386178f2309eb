import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { ping, type Database } from '../db/client.js';
import { COMPLIANCE_OFF, readComplianceState } from '../db/compliance-state.js';
import { migrationsApplied } from '../db/migrate.js';
import { orgKeyProblems, readOrgKeyChecks } from '../db/organization-keys.js';
import { StewardError } from '../domain/errors.js';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

const CHECK_TIMEOUT_MS = 2000;

/** Runs every readiness check with a timeout; a check that throws or hangs is "not ready". */
export async function readiness(checks: readonly ReadinessCheck[]): Promise<Readiness> {
  const results = await Promise.all(
    checks.map(async (c) => {
      try {
        await withTimeout(c.check(), CHECK_TIMEOUT_MS, `${c.name} check timed out`);
        return [c.name, { ok: true }] as const;
      } catch (err) {
        return [c.name, { ok: false, error: (err as Error).message }] as const;
      }
    }),
  );
  return { ready: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) };
}

export function databaseChecks(database: Database): ReadinessCheck[] {
  return [
    { name: 'database', check: () => ping(database.db) },
    {
      name: 'migrations',
      check: async () => {
        if (!(await migrationsApplied(database)))
          throw new StewardError('migrations_pending', 'pending migrations', { retry: true });
      },
    },
  ];
}

/**
 * Things an operator must know that do not make the process unready: while the Compliance API is
 * off (as the last sync found), activity cannot be read, so findings about use would be wrong.
 */
export function complianceNotices(database: Pick<Database, 'db'>): () => Promise<string[]> {
  return async () => {
    const s = await readComplianceState(database.db);
    const keys = await readOrgKeyChecks(database.db);
    return [
      ...(s?.enabled === false ? [`${COMPLIANCE_OFF} (checked ${s.checkedAt}).`] : []),
      // An organisation whose Admin key is missing, revoked or short of a permission (issue 17).
      ...(keys ? orgKeyProblems(keys.checks).map((p) => `${p} (checked ${keys.checkedAt}).`) : []),
    ];
  };
}

export function healthRoutes(
  checks: readonly ReadinessCheck[],
  extra: CustomRoute[] = [],
  notices: () => Promise<string[]> = () => Promise.resolve([]),
): CustomRoute[] {
  return [
    { path: '/healthz', method: ['GET'], handler: (_req, res) => json(res, 200, { status: 'ok' }) },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req, res) => {
        void Promise.all([
          readiness(checks),
          notices().catch((err: Error) => [`notices unavailable: ${err.message}`]),
        ]).then(
          ([r, n]) =>
            json(res, r.ready ? 200 : 503, {
              status: r.ready ? 'ready' : 'not ready',
              checks: r.checks,
              ...(n.length ? { notices: n } : {}),
            }),
          (err: Error) => json(res, 503, { status: 'not ready', error: err.message }),
        );
      },
    },
    ...extra,
  ];
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}
