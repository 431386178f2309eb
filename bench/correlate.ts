/**
 * Correlation at scale: 100,000 principals and keys (50,000 members, 50,000 API keys)
 * with four months of daily roll-ups. Two identical organisations are seeded; the
 * second then gets ten times the raw activity events (rows in activity_events, and the
 * activity roll-ups' counts scaled to match, not more roll-up rows). The daily job is
 * timed on both, alternating day by day so that load on the host affects both alike:
 * a full run (load, rules, evidence, upsert, audit) and a dry run. Prints both and the
 * change.
 *
 *   npx tsx bench/correlate.ts                       # embedded PGlite (temporary directories)
 *   npx tsx bench/correlate.ts --db postgres://postgres@127.0.0.1:5432/test
 *                                                    # fresh databases created through that URL, dropped after
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { defaultPolicy } from '../src/config/policy.js';
import { openDatabase, queryRows, type Database } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { createLogger } from '../src/log.js';
import { createCorrelationService } from '../src/correlate/service.js';

const USERS = 50_000;
const KEYS = 50_000;
const DAYS = 120;
const BASE_EVENTS = 200_000;
const RUNS = 7;
const NOW = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

async function open(tag: string): Promise<{ database: Database; label: string; cleanup: () => Promise<void> }> {
  const url = arg('--db') ?? process.env.DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), `steward-bench-correlate-${tag}-`));
    const database = await openDatabase({ dataDir: dir });
    return { database, label: 'PGlite', cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `steward_bench_correlate_${tag}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ url: u.toString(), max: 10 });
  const version = (await queryRows<{ v: string }>(database.db, sql`select current_setting('server_version') as v`))[0]!
    .v;
  return {
    database,
    label: `PostgreSQL ${version.split(' ')[0]}`,
    cleanup: async () => {
      const a = postgres(url, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

const now = sql`${NOW.toISOString()}::timestamptz`;
const today = sql`(${NOW.toISOString()}::timestamptz at time zone 'UTC')::date`;

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  process.stdout.write(`  ${label.padEnd(52)} ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return r;
}

/**
 * A steady-state organisation: 50,000 members (1% admins, a tenth of them stale; 0.2%
 * removed; 2% idle for 40+ days), 50,000 keys (1% with no creator, 2% idle, 0.2% with a
 * spike yesterday), workspaces, memberships, invites, and a roll-up row for every
 * fourth day of four months per member and per key: about 3% of principals have a finding.
 */
async function seed(db: Database['db']): Promise<void> {
  await timed('directory', async () => {
    await db.execute(sql`insert into workspaces (id, name, created_at, first_seen_at, last_seen_at)
      select 'wrkspc_' || g, 'Workspace ' || g, ${now} - interval '400 days', ${now} - interval '400 days', ${now} - interval '1 hour'
      from generate_series(0, 19) g`);
    await db.execute(sql`insert into org_users (id, email, name, role, added_at, first_seen_at, last_seen_at, removed_at)
      select 'user_' || g, 'u' || g || '@bench.test', 'User ' || g,
             case when g % 100 = 0 then 'admin' else 'user' end,
             ${now} - (200 + g % 100) * interval '1 day', ${now} - (200 + g % 100) * interval '1 day', ${now} - interval '1 hour',
             case when g % 500 = 1 then ${now} - interval '50 days' end
      from generate_series(1, ${USERS}) g`);
    await db.execute(sql`insert into workspace_members (workspace_id, user_id, workspace_role, first_seen_at, last_seen_at)
      select 'wrkspc_' || (g % 20), 'user_' || g, case when g % 100 = 0 then 'workspace_admin' else 'workspace_developer' end,
             ${now} - interval '180 days', ${now} - interval '1 hour'
      from generate_series(1, ${USERS}) g`);
    await db.execute(sql`insert into service_accounts (id, name, status, created_at, first_seen_at, last_seen_at)
      select 'svcacct_' || g, 'svc-' || g, 'active', ${now} - interval '300 days', ${now} - interval '300 days', ${now} - interval '1 hour'
      from generate_series(1, 100) g`);
    await db.execute(sql`insert into api_keys (id, name, status, created_at, created_by_type, created_by_id, principal_type, principal_id,
                                               scope_type, workspace_id, partial_key_hint, first_seen_at, last_seen_at)
      select 'apikey_' || g, 'key-' || g, 'active', ${now} - interval '200 days',
             case when g % 100 = 3 then null else 'user' end, case when g % 100 = 3 then null else 'user_' || (1 + g % ${USERS}) end,
             case when g % 2 = 0 then 'user_actor' when g % 97 = 0 then 'service_account_actor' end,
             case when g % 2 = 0 then 'user_' || (1 + g % ${USERS}) when g % 97 = 0 then 'svcacct_' || (1 + g % 100) end,
             'workspace', 'wrkspc_' || (g % 20), 'sk-ant-…' || lpad((g % 10000)::text, 4, '0'),
             ${now} - interval '200 days', ${now} - interval '1 hour'
      from generate_series(1, ${KEYS}) g`);
    await db.execute(sql`insert into invites (id, email, role, status, invited_at, expires_at, first_seen_at, last_seen_at)
      select 'invite_' || g, 'i' || g || '@partner.test', 'user', 'pending', ${now} - (g % 30) * interval '1 day',
             ${now} + interval '30 days', ${now} - (g % 30) * interval '1 day', ${now} - interval '1 hour'
      from generate_series(1, 200) g`);
  });
  await timed('activity roll-ups (1.5M member-days)', () =>
    db.execute(sql`insert into principal_activity_daily (principal_id, day, principal_type, events, admin_events, first_at, last_at, last_type)
      select 'user_' || g, ${today} - d, 'user_actor', 1 + (g + d) % 5,
             case when g % 100 = 0 and g % 1000 <> 0 and d % 8 = 0 then 1 else 0 end,
             (${today} - d) + interval '9 hours', (${today} - d) + interval '17 hours', 'claude_chat_created'
      from generate_series(1, ${USERS}) g, generate_series(0, ${DAYS - 1}) d
      where (g + d) % 4 = 0 and (g % 50 <> 0 or d >= 40) and (g % 500 <> 1 or d >= 50 or g % 5000 = 1)`),
  );
  await timed('key usage roll-ups (1.5M key-days)', () =>
    db.execute(sql`insert into key_usage_daily (api_key_id, day, requests, input_tokens, output_tokens)
      select 'apikey_' || g, ${today} - d, case when g % 500 = 7 and d = 1 then 50000 else 20 + (g * 7 + d) % 280 end,
             (20 + (g * 7 + d) % 280) * 900, (20 + (g * 7 + d) % 280) * 100
      from generate_series(1, ${KEYS}) g, generate_series(0, ${DAYS - 1}) d
      where ((g + d) % 4 = 0 or (g % 500 = 7 and d = 1)) and (g % 50 <> 0 or d >= 40)`),
  );
  await timed(`raw activity events (${BASE_EVENTS.toLocaleString('en-US')})`, () => rawEvents(db, 0, BASE_EVENTS));
}

async function rawEvents(db: Database['db'], from: number, count: number): Promise<void> {
  const step = 200_000;
  for (let start = from; start < from + count; start += step) {
    const end = Math.min(from + count, start + step) - 1;
    await db.execute(sql`insert into activity_events (id, created_at, type, actor_type, actor_id, raw)
      select 'activity_' || g, ${now} - (g % ${DAYS}) * interval '1 day' - (g % 86000) * interval '1 second',
             'claude_chat_created', 'user_actor', 'user_' || (1 + g % ${USERS}),
             jsonb_build_object('id', 'activity_' || g, 'type', 'claude_chat_created')
      from generate_series(${start}::int, ${end}::int) g`);
  }
}

async function count(db: Database['db'], table: string): Promise<number> {
  return (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.raw(table)}`))[0]!.n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Timing {
  full: number[];
  dry: number[];
  phases: Array<Record<string, number>>;
}

/**
 * The daily job as it runs: one full run per day (every open finding gets fresh
 * evidence, since idle days, windows and sparklines move with the date), then a dry run
 * of the same day, on each organisation in turn.
 */
async function dailyRuns(orgs: Array<{ database: Database; timing: Timing }>): Promise<void> {
  for (let day = 1; day <= RUNS; day++) {
    const at = new Date(NOW.getTime() + day * 86_400_000);
    for (const o of orgs) {
      let phases: Record<string, number> = {};
      const logger = createLogger({
        level: 'info',
        destination: {
          write: (line: string) =>
            void (phases = (JSON.parse(line) as { phases?: Record<string, number> }).phases ?? phases),
        },
      });
      const service = createCorrelationService({ db: o.database.db, logger, policy: defaultPolicy(), now: () => at });
      const t0 = performance.now();
      await service.correlate();
      o.timing.full.push(performance.now() - t0);
      o.timing.phases.push(phases);
    }
    for (const o of orgs) {
      const service = createCorrelationService({
        db: o.database.db,
        logger: createLogger({ level: 'silent' }),
        policy: defaultPolicy(),
        now: () => at,
      });
      const t0 = performance.now();
      await service.correlate({ dryRun: true });
      o.timing.dry.push(performance.now() - t0);
    }
  }
}

const medianPhases = (t: Timing) => t.phases[t.full.indexOf(median(t.full))] ?? {};

async function main(): Promise<void> {
  const one = await open('1x');
  const ten = await open('10x');
  const label = one.label;
  try {
    console.log(
      `Correlation benchmark on ${label}: ${USERS.toLocaleString('en-US')} members + ${KEYS.toLocaleString('en-US')} API keys, two organisations (1× and 10× raw events)`,
    );
    for (const [name, o] of [
      ['1×', one],
      ['10×', ten],
    ] as const) {
      console.log(`seeding the ${name} organisation`);
      await migrateDatabase(o.database);
      await seed(o.database.db);
    }
    await timed(`10× raw events (+${(BASE_EVENTS * 9).toLocaleString('en-US')} rows, roll-up counts ×10)`, async () => {
      await rawEvents(ten.database.db, BASE_EVENTS, BASE_EVENTS * 9);
      await ten.database.db.execute(
        sql`update principal_activity_daily set events = events * 10, admin_events = admin_events * 10`,
      );
    });
    const rollups = async (db: Database['db']) =>
      (await count(db, 'principal_activity_daily')) + (await count(db, 'key_usage_daily'));
    const stats = {
      rollups1: await rollups(one.database.db),
      rollups10: await rollups(ten.database.db),
      raw1: await count(one.database.db, 'activity_events'),
      raw10: await count(ten.database.db, 'activity_events'),
    };

    // The first run stores every finding (as on a new deployment); the daily runs then refresh them.
    const firsts: Array<{
      ms: number;
      findings: Awaited<ReturnType<ReturnType<typeof createCorrelationService>['correlate']>>['findings'];
    }> = [];
    for (const o of [one, ten]) {
      await o.database.db.execute(sql`vacuum analyze`);
      const t0 = performance.now();
      const r = await createCorrelationService({
        db: o.database.db,
        logger: createLogger({ level: 'silent' }),
        policy: defaultPolicy(),
        now: () => NOW,
      }).correlate();
      firsts.push({ ms: performance.now() - t0, findings: r.findings });
      await o.database.db.execute(sql`vacuum analyze findings`);
    }
    const a: Timing = { full: [], dry: [], phases: [] };
    const b: Timing = { full: [], dry: [], phases: [] };
    await dailyRuns([
      { database: one.database, timing: a },
      { database: ten.database, timing: b },
    ]);

    const pct = (x: number, y: number) => `${y >= x ? '+' : ''}${(((y - x) / x) * 100).toFixed(1)}%`;
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const first = firsts[0]!;
    const kinds = Object.entries(
      first.findings.reduce<Record<string, number>>((acc, f) => ((acc[f.kind] = (acc[f.kind] ?? 0) + 1), acc), {}),
    )
      .map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`)
      .join(', ');
    console.log('');
    console.log(
      `findings: ${first.findings.length.toLocaleString('en-US')} (${kinds}); 10× organisation: ${firsts[1]!.findings.length.toLocaleString('en-US')}`,
    );
    console.log(
      `roll-up rows: ${stats.rollups1.toLocaleString('en-US')} vs ${stats.rollups10.toLocaleString('en-US')}; raw events ${stats.raw1.toLocaleString('en-US')} vs ${stats.raw10.toLocaleString('en-US')}`,
    );
    console.log(`first run (stores every finding): ${s(first.ms)} (1×), ${s(firsts[1]!.ms)} (10×)`);
    console.log('');
    console.log(`| ${label} | 1× raw events | 10× raw events | change |`);
    console.log('|---|---:|---:|---:|');
    console.log(
      `| daily run (full), median of ${RUNS} days | ${s(median(a.full))} | ${s(median(b.full))} | ${pct(median(a.full), median(b.full))} |`,
    );
    console.log(
      `| dry run, median of ${RUNS} days | ${s(median(a.dry))} | ${s(median(b.dry))} | ${pct(median(a.dry), median(b.dry))} |`,
    );
    console.log('');
    console.log(
      `phases of the median daily run (ms): 1× ${JSON.stringify(medianPhases(a))}; 10× ${JSON.stringify(medianPhases(b))}`,
    );
    console.log(`all daily runs (ms): 1× ${a.full.map(Math.round).join(' ')}; 10× ${b.full.map(Math.round).join(' ')}`);
    console.log(`host load average (1 min) at the end: ${loadavg()[0]!.toFixed(1)}`);
    const worst = Math.max(median(a.full), median(b.full));
    const ok = worst < 2000 && Math.abs(median(b.full) - median(a.full)) / median(a.full) < 0.2;
    console.log('');
    console.log(
      ok
        ? 'PASS: under 2 s, and 10× raw events changes the time by less than 20%'
        : 'FAIL: target missed (under 2 s, < 20% change)',
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    for (const o of [one, ten]) {
      await o.database.close();
      await o.cleanup();
    }
  }
}

await main();
