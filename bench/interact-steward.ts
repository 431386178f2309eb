/**
 * Steward for `bench/interact.ts`, in a process of its own as it runs in production:
 * the composition root (`startSteward`) with its real Bolt HTTP receiver on a free port,
 * WebClient and Anthropic SDK pointed at the simulators in the parent process, and its
 * own database (in-memory PGlite, or a scratch PostgreSQL database it creates and drops).
 * The parent drives it over the IPC channel (see interact-protocol.ts): bulk seeding,
 * review-service calls, state checks, and instrumentation (timings of review.decide and
 * review.preflight, event-loop delay, CPU profiles).
 *
 * Not run directly: `bench/interact.ts` forks it.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, Server, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { loadConfig, secretValues } from '../src/config/index.js';
import type { Evidence } from '../src/domain/evidence.js';
import { openDatabase, queryRows, type Database } from '../src/db/client.js';
import { apiKeys, findings, orgUsers } from '../src/db/schema/index.js';
import { createLogger } from '../src/log.js';
import { startSteward, type RunningSteward } from '../src/steward.js';
import {
  epochNow,
  type FindingRow,
  type ItemState,
  type LogCounts,
  type PersonRow,
  type Reply,
  type ReviewRow,
  type Request,
  type StartRequest,
  type Started,
  type StewardOps,
  type Timing,
} from './interact-protocol.js';

const LEVELS: Record<string, string> = {
  '10': 'trace',
  '20': 'debug',
  '30': 'info',
  '40': 'warn',
  '50': 'error',
  '60': 'fatal',
};

/** Steward's log lines are counted by level and the first warnings kept, not printed. */
function countingSink(counts: LogCounts): Writable {
  return new Writable({
    write(chunk, _enc, cb) {
      const line = String(chunk);
      counts.lines++;
      const level = LEVELS[/"level":(\d+)/.exec(line)?.[1] ?? ''] ?? 'other';
      counts.byLevel[level] = (counts.byLevel[level] ?? 0) + 1;
      if ((level === 'warn' || level === 'error' || level === 'fatal') && counts.problems.length < 20)
        counts.problems.push(line.slice(0, 400));
      cb();
    },
  });
}

async function openBenchDatabase(
  url: string | undefined,
): Promise<{ database: Database; label: string; drop: () => Promise<void> }> {
  if (!url) {
    const database = await openDatabase({ dataDir: 'memory://' });
    const version = (
      await queryRows<{ v: string }>(database.db, sql`select current_setting('server_version') as v`)
    )[0]!.v;
    return { database, label: `PGlite (PostgreSQL ${version} in WebAssembly, in memory)`, drop: async () => {} };
  }
  const name = `steward_bench_interact_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  // Steward's own default pool size (openDatabase's max).
  const database = await openDatabase({ url: u.toString(), max: 10 });
  const version = (
    await queryRows<{ v: string }>(database.db, sql`select split_part(current_setting('server_version'), ' ', 1) as v`)
  )[0]!.v;
  return {
    database,
    label: `PostgreSQL ${version}`,
    drop: async () => {
      const a = postgres(url, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

/** What correlation would have produced for a dormant key: evidence with the owner's Slack id resolved. */
export function dormantKeyEvidence(keyId: string, keyName: string, owner: PersonRow, asOf: Date): Evidence {
  return {
    kind: 'dormant_key',
    rule: 'No usage for 45 days (threshold 30).',
    subject: { type: 'api_key', id: keyId, label: keyName },
    access: {
      kind: 'api_key',
      keyHint: 'sk-ant-api03-...AbCd',
      workspaceName: 'Default',
      status: 'active',
      scope: 'workspace',
    },
    createdAt: '2026-02-01T00:00:00.000Z',
    createdBy: { type: 'user', id: owner.userId, label: owner.email },
    owner: { userId: owner.userId, email: owner.email, slackId: owner.slackId, via: 'principal', unownedReason: null },
    lastActivity: { at: '2026-09-01T10:00:00.000Z', type: 'api_request' },
    idleDays: 45,
    counts: { d7: 0, d30: 0, d90: 3 },
    usage: { requests30: 0, tokens30: 0, requests90: 120, tokens90: 45_000 },
    weekly: [3, 5, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    thresholds: { dormant_days: 30 },
    asOf: asOf.toISOString(),
  };
}

function chunks<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

const uuidList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

/**
 * Server-side time of every request to /slack/events: from Node handing the parsed
 * request headers to the receiver until the response is written. (Time the request
 * spends queued before that, e.g. while the event loop is blocked, is not in it.)
 */
let serverTimes: number[] = [];
Server.prototype.emit = function (this: Server, event: string | symbol, ...rest: unknown[]) {
  if (event === 'request') {
    const [req, res] = rest as [IncomingMessage, ServerResponse];
    if (req.url?.startsWith('/slack/events')) {
      const t0 = epochNow();
      res.once('finish', () => serverTimes.push(epochNow() - t0));
    }
  }
  // http.Server inherits emit from EventEmitter: call that one, with the server as `this`.
  return EventEmitter.prototype.emit.call(this, event, ...rest);
} as typeof Server.prototype.emit;

async function start(req: StartRequest): Promise<{ started: Started; ops: StewardOps }> {
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const { database, label, drop } = await openBenchDatabase(req.dbUrl);
  // Scheduled jobs (hourly sync, daily correlate and reminders) would fire in the middle
  // of a measurement and sync the simulated org over the seeded rows: give them a cron
  // that next fires on 29 February 2028. Every other policy value is the default.
  const policyPath = join(mkdtempSync(join(tmpdir(), 'steward-bench-interact-')), 'policy.yaml');
  writeFileSync(policyPath, "schedule:\n  sync: '0 0 29 2 *'\n  correlate: '0 0 29 2 *'\n  reminders: '0 0 29 2 *'\n");
  const config = loadConfig({ ...req.env, PORT: '0', STEWARD_POLICY: policyPath });
  const logs: LogCounts = { lines: 0, byLevel: {}, problems: [] };
  const logger = createLogger({
    level: req.logLevel,
    secrets: secretValues(config),
    destination: countingSink(logs),
  });
  let steward: RunningSteward;
  try {
    steward = await startSteward(config, logger, { database, now });
  } catch (err) {
    await database.close();
    await drop();
    throw err;
  }
  const db = database.db;
  const review = steward.services.review;

  // Instrumentation: the Slack listeners call the service through this object, so
  // wrapping its methods times every call they make.
  let timings: Record<string, Timing> = {};
  let decideDelay = 0;
  const decide = review.decide;
  review.decide = async (input) => {
    const t: Timing = { start: epochNow(), end: NaN };
    timings[input.itemId] = t;
    if (decideDelay > 0) await new Promise((r) => setTimeout(r, decideDelay));
    try {
      return await decide(input);
    } finally {
      t.end = epochNow();
    }
  };
  const preflight = review.preflight;
  review.preflight = async (input) => {
    const t: Timing = { start: epochNow(), end: NaN };
    timings[`preflight:${input.itemId}`] = t;
    try {
      return await preflight(input);
    } finally {
      t.end = epochNow();
    }
  };
  let loop: IntervalHistogram | undefined;
  let nullServer: Server | undefined;
  let session: Session | undefined;

  const ops: StewardOps = {
    async seedPeople(rows) {
      for (const part of chunks(rows, 1000)) {
        await db.insert(orgUsers).values(
          part.map((p) => ({
            id: p.userId,
            email: p.email,
            name: p.name,
            role: 'user',
            addedAt: new Date('2026-01-05T00:00:00Z'),
          })),
        );
      }
    },
    async seedFindings(rows: FindingRow[]) {
      const at = now();
      for (const part of chunks(rows, 500)) {
        await db.insert(apiKeys).values(
          part.map((f) => ({
            id: f.keyId,
            name: f.keyName,
            status: 'active',
            createdAt: new Date('2026-02-01T00:00:00Z'),
            createdByType: 'user',
            createdById: f.owner.userId,
            principalType: 'user',
            principalId: f.owner.userId,
            partialKeyHint: 'sk-ant-api03-...AbCd',
          })),
        );
        await db.insert(findings).values(
          part.map((f) => {
            const e = dormantKeyEvidence(f.keyId, f.keyName, f.owner, at);
            if (f.slackIdUnknown) e.owner = { ...e.owner, slackId: null };
            return {
              id: f.findingId,
              fingerprint: `dormant_key:api_key:${f.keyId}`,
              kind: 'dormant_key',
              subjectType: 'api_key',
              subjectId: f.keyId,
              evidence: e as unknown as Record<string, unknown>,
              owner: e.owner,
              firstDetectedAt: new Date(at.getTime() - 60_000),
            };
          }),
        );
      }
    },
    openAndDeliver: (opts) => review.openAndDeliver(opts),
    openReviews: (opts) => review.openReviews(opts),
    deliverPending: (opts) => review.deliverPending(opts),
    reviewRows: async (findingIds) =>
      (await queryRows(
        db,
        sql`select id::text as id, finding_id::text as finding_id, slack_channel, slack_ts from review_items where finding_id in (${uuidList(findingIds)})`,
      )) as unknown as ReviewRow[],
    async itemStates(itemIds) {
      const rows = await queryRows<Record<string, unknown>>(
        db,
        sql`select r.id::text as id, r.status, r.decision, r.decided_by_slack_id as decided_by,
              (select count(*) from audit_log a where a.review_item_id = r.id::text and a.action = 'review.decided')::int as decided_rows,
              (select count(*) from outbox_actions o where o.review_item_id = r.id)::int as actions,
              (select string_agg(o.status, ',') from outbox_actions o where o.review_item_id = r.id) as action_status,
              (select count(*) from certifications c where c.review_item_id = r.id)::int as certs
            from review_items r where r.id in (${uuidList(itemIds)})`,
      );
      return rows.map(
        (r) =>
          ({
            ...r,
            decided_rows: Number(r.decided_rows),
            actions: Number(r.actions),
            certs: Number(r.certs),
          }) as ItemState,
      );
    },
    async takeTimings() {
      const t = timings;
      timings = {};
      return t;
    },
    async startNullServer() {
      // Reads the body and answers an empty 200, as an ack with nothing behind it would.
      const server = createServer((rq, rs) => {
        rq.resume();
        rq.on('end', () => rs.writeHead(200, { 'content-length': '0' }).end());
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      nullServer = server;
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    },
    async takeServerTimes() {
      const t = serverTimes;
      serverTimes = [];
      return t;
    },
    async setDecideDelay(ms) {
      decideDelay = ms;
    },
    async loopDelay(action) {
      if (action === 'start') {
        loop = monitorEventLoopDelay({ resolution: 5 });
        loop.enable();
        return null;
      }
      if (!loop) return null;
      loop.disable();
      const r = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
      loop = undefined;
      return r;
    },
    async profile(action, path) {
      if (action === 'start') {
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
        return;
      }
      if (!session) return;
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = undefined;
      if (path) writeFileSync(path, JSON.stringify(profile));
    },
    async advanceClock(ms) {
      offset += ms;
    },
    async now() {
      return now().getTime();
    },
    async pendingSummary() {
      const [p] = await queryRows<{ n: number; next: string | null }>(
        db,
        sql`select count(*)::int as n, min(delivery_lease_until)::text as next from review_items where status = 'pending'`,
      );
      return { n: Number(p?.n ?? 0), next: p?.next ?? null };
    },
    async deliveryCheck() {
      const [r] = await queryRows<{ open: number; pending: number; audited: number }>(
        db,
        sql`select (select count(*) from review_items where status = 'open' and slack_ts is not null)::int as open,
                   (select count(*) from review_items where status = 'pending')::int as pending,
                   (select count(*) from audit_log where action = 'review.delivered')::int as audited`,
      );
      return { open: Number(r!.open), pending: Number(r!.pending), audited: Number(r!.audited) };
    },
    async logs() {
      return logs;
    },
    async memory() {
      const m = process.memoryUsage();
      return { rss: m.rss, heapUsed: m.heapUsed };
    },
    async stop() {
      nullServer?.close();
      await steward.stop();
      await database.close();
      await drop();
    },
  };
  return { started: { port: steward.port, driverLabel: label, pid: process.pid }, ops };
}

// ---- IPC loop ---------------------------------------------------------------------------

let ops: StewardOps | undefined;
let stopped = false;
const reply = (r: Reply) => {
  // The parent may be gone (it failed, or was interrupted): nobody to answer.
  if (process.connected) process.send!(r);
};

process.on('message', (msg: Request) => {
  void (async () => {
    try {
      let result: unknown;
      if (msg.op === 'start') {
        const s = await start(msg.args[0]);
        ops = s.ops;
        result = s.started;
      } else {
        if (!ops) throw new Error('not started');
        if (msg.op === 'stop') stopped = true;
        const fn = ops[msg.op] as (...a: unknown[]) => Promise<unknown>;
        result = await fn(...msg.args);
      }
      reply({ id: msg.id, ok: true, result: result ?? null });
      if (msg.op === 'stop') process.disconnect();
    } catch (err) {
      reply({ id: msg.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  })();
});
process.on('disconnect', () => {
  // The parent is done, or gone without stopping us: drop the scratch database anyway.
  const cleanup = !stopped && ops ? ops.stop().catch(() => {}) : Promise.resolve();
  void cleanup.then(() => process.exit(0));
});
