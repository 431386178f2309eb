/**
 * Certification campaigns at scale (issue 16): 10,000 active API keys owned by 100 people
 * (seeded through the database layer, with the owners' Slack ids already in the lookup
 * cache, as after a first correlation). Times, on each database:
 *   - opening a `keys` campaign: inventory, assignment, one transaction writing 10,000
 *     certifications, items and the audit row (Slack delivery excluded: it is paced by Slack);
 *   - `/steward campaign status`'s query (campaignSummaries), median and worst of 7 runs;
 * and, on the last database only, delivering DELIVER items through the WebClient to the Slack
 * simulator running Slack's published limits, reported against chat.postMessage's workspace
 * limit in the same run (300/minute with a one-minute burst; see src/sim/slack/rate-limit.ts).
 *
 *   npx tsx bench/campaign.ts                                   # PGlite only
 *   npx tsx bench/campaign.ts --db postgres://postgres@127.0.0.1:5432/postgres   # PGlite, then PostgreSQL
 *   … --deliver 600                                             # items to deliver (0: skip)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { loadConfig } from '../src/config/env.js';
import { defaultPolicy } from '../src/config/policy.js';
import { createAccessInventory } from '../src/correlate/inventory.js';
import { openDatabase, queryRows, type Database } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { apiKeys, orgUsers, slackUserCache } from '../src/db/schema/index.js';
import { createLogger } from '../src/log.js';
import { openCampaign } from '../src/review/campaigns/open.js';
import { campaignSummaries } from '../src/review/campaigns/status.js';
import { wireServices } from '../src/services.js';
import { POST_MESSAGE_PER_MINUTE } from '../src/sim/slack/rate-limit.js';
import { startSlackSim } from '../src/sim/slack/index.js';

const KEYS = 10_000;
const OWNERS = 100;
const STATUS_RUNS = 7;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function databases(): Promise<
  Array<() => Promise<{ database: Database; label: string; cleanup: () => Promise<void> }>>
> {
  const out = [
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'steward-bench-campaign-'));
      const database = await openDatabase({ dataDir: dir });
      return { database, label: 'PGlite', cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  ];
  const url = arg('--db');
  if (url)
    out.push(async () => {
      const name = `steward_bench_campaign_${randomBytes(4).toString('hex')}`;
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${name}"`);
      await admin.end();
      const u = new URL(url);
      u.pathname = `/${name}`;
      const database = await openDatabase({ url: u.toString(), max: 10 });
      const [{ v } = { v: '?' }] = await queryRows<{ v: string }>(
        database.db,
        sql`select current_setting('server_version') as v`,
      );
      return {
        database,
        label: `PostgreSQL ${v.split(' ')[0]}`,
        cleanup: async () => {
          const a = postgres(url, { max: 1, onnotice: () => {} });
          await a.unsafe(`drop database if exists "${name}" with (force)`);
          await a.end();
        },
      };
    });
  return out;
}

const ms = (t0: number) => performance.now() - t0;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

async function run(make: Awaited<ReturnType<typeof databases>>[number], deliver: number) {
  const { database, label, cleanup } = await make();
  const slack = await startSlackSim({ signingSecret: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', rateLimits: 'slack' });
  try {
    await migrateDatabase(database);
    const adminUser = slack.addUser({ name: 'ada', email: 'ada@example.com', real_name: 'Ada' });
    const security = slack.addChannel({ name: 'security', members: [adminUser.id] });
    const now = () => new Date();
    const db = database.db;
    // Owners: in the organisation, in Slack, and already in the lookup cache.
    const owners = Array.from({ length: OWNERS }, (_, i) => {
      const email = `owner${i}@example.com`;
      return { id: `user_${String(i).padStart(6, '0')}`, email, slackId: slack.addUser({ name: `o${i}`, email }).id };
    });
    await db
      .insert(orgUsers)
      .values(
        owners.map((o) => ({ id: o.id, email: o.email, name: o.email, role: 'user', addedAt: new Date('2026-01-01') })),
      );
    await db
      .insert(slackUserCache)
      .values(owners.map((o) => ({ email: o.email, slackUserId: o.slackId, lookedUpAt: now() })));
    const t0 = performance.now();
    for (let i = 0; i < KEYS; i += 1000)
      await db.insert(apiKeys).values(
        Array.from({ length: Math.min(1000, KEYS - i) }, (_, j) => {
          const n = i + j;
          const o = owners[n % OWNERS]!;
          return {
            id: `apikey_bench_${String(n).padStart(6, '0')}`,
            name: `key-${n}`,
            status: 'active',
            createdAt: new Date('2026-01-15'),
            createdByType: 'user',
            createdById: o.id,
            principalType: 'user',
            principalId: o.id,
            partialKeyHint: 'sk-ant-api03-...AbCd',
          };
        }),
      );
    const seedMs = ms(t0);

    const config = loadConfig({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-bench-no-anthropic-000000000000',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
      STEWARD_SECURITY_CHANNEL: security.id,
      STEWARD_ADMINS: adminUser.id,
    });
    const policy = defaultPolicy();
    const logger = createLogger({ level: 'error' }); // 429s are expected while delivering at Slack's pace
    const services = wireServices({ config, logger, database, policy, now });
    // The campaign service's own dependencies, as services.ts builds them, to time opening alone.
    const deps = {
      db,
      logger,
      policy,
      admins: config.admins,
      notifier: services.notifier,
      slack: services.slack,
      explainer: { explain: () => Promise.reject(new Error('not used when opening')) },
      now,
      inventory: createAccessInventory({ db, policy }),
    };
    const t1 = performance.now();
    const opened = await openCampaign(deps, {
      scope: { kind: 'keys' },
      dueDays: 14,
      startedBySlackId: adminUser.id,
      via: 'cli',
    });
    const openMs = ms(t1);
    if (opened?.opened.length !== KEYS)
      throw new Error(`expected ${KEYS} certifications, got ${opened?.opened.length}`);

    const statusMs: number[] = [];
    for (let i = 0; i < STATUS_RUNS; i++) {
      const t = performance.now();
      const s = await campaignSummaries(db, now(), String(opened.number));
      statusMs.push(ms(t));
      if (s?.[0]?.progress.open !== KEYS) throw new Error('status does not count every item');
    }
    console.log(
      `${label}: seeded ${KEYS} keys in ${(seedMs / 1000).toFixed(1)} s; opened campaign #${opened.number} (${opened.items} items) in ${(openMs / 1000).toFixed(2)} s; ` +
        `status query median ${median(statusMs).toFixed(0)} ms, worst ${Math.max(...statusMs).toFixed(0)} ms (${STATUS_RUNS} runs)`,
    );

    if (deliver > 0) {
      const ids = opened.opened.slice(0, deliver);
      const t2 = performance.now();
      const sent = await services.review.deliverPending({ ids, limit: ids.length });
      const secs = ms(t2) / 1000;
      // What chat.postMessage's workspace limit allows in that time: one minute's burst, then its rate.
      const allowed = Math.min(ids.length, POST_MESSAGE_PER_MINUTE + (POST_MESSAGE_PER_MINUTE / 60) * secs);
      console.log(
        `${label}: delivered ${sent.delivered} of ${ids.length} reviews in ${secs.toFixed(1)} s = ${(sent.delivered / secs).toFixed(2)} reviews/s; ` +
          `chat.postMessage allows ${allowed.toFixed(0)} in that time (${POST_MESSAGE_PER_MINUTE}/min, 1-minute burst): ratio ${(sent.delivered / allowed).toFixed(2)}`,
      );
    }
  } finally {
    await slack.close();
    await database.close().catch(() => undefined);
    await cleanup();
  }
}

const deliver = Number(arg('--deliver') ?? 600);
console.log(
  `uptime load average at start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (2 cores, shared)`,
);
const makers = await databases();
for (const [i, make] of makers.entries()) await run(make, i === makers.length - 1 ? deliver : 0);
console.log(
  `uptime load average at end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
