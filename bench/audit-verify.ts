/**
 * Audit verify at scale: fills a scratch audit_log with N correctly chained rows (a third
 * of them decisions carrying a full evidence snapshot), then verifies the chain in a
 * fresh child process and prints rows, seconds, rows/s and that process's peak RSS.
 *
 *   npx tsx bench/audit-verify.ts [--rows 1000000] [--batch-size 5000] [--db postgres://…] [--heap-limit <MB>] [--unkeyed] [--keep]
 *
 * Rows carry a MAC (HMAC-SHA-256 under a bench key, as with STEWARD_AUDIT_KEY set) and
 * verify checks every one; --unkeyed writes rows without MACs and verifies the chain only.
 * --pairs N then verifies the same keyed rows N more times each with and without the key,
 * alternating, and prints the medians: the cost of checking the MACs, measured on one
 * database in one period of host load.
 *
 * With --db (or DATABASE_URL) it creates a scratch database on that server and drops it
 * afterwards (the audit log is append-only: a million bench rows must never land in a
 * real one). Without, it uses PGlite in a temporary directory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { GENESIS_HASH, rowHash, type ChainedFields } from '../src/audit/hash.js';
import { auditKeyring, rowMac, type AuditKeyring } from '../src/audit/mac.js';
import { DEFAULT_VERIFY_BATCH, verifyAuditChain } from '../src/audit/verify.js';
import { openDatabase } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    'batch-size': { type: 'string', default: String(DEFAULT_VERIFY_BATCH) },
    db: { type: 'string' },
    /** Keep the scratch database afterwards (printed), e.g. to profile verify against it. */
    keep: { type: 'boolean', default: false },
    /** Rows without MACs, verified without a key: the SHA-256 chain alone. */
    unkeyed: { type: 'boolean', default: false },
    pairs: { type: 'string', default: '0' },
    /** Cap the verifying child's V8 old space (MB): completing under a small cap proves bounded memory. */
    'heap-limit': { type: 'string' },
    // Internal: the verifying child process.
    child: { type: 'string' },
  },
});

const COLUMNS = [
  'seq',
  'at',
  'actor_type',
  'actor_slack_id',
  'actor_anthropic_id',
  'actor_label',
  'action',
  'subject_type',
  'subject_id',
  'review_item_id',
  'outcome',
  'evidence',
  'details',
  'policy_version',
  'prev_hash',
  'hash',
  'mac',
  'mac_key_id',
].join(', ');

/** The bench's MAC key (a fixed 32 bytes: the figures do not depend on its value). */
const BENCH_KEY = { id: 'bench', secret: Buffer.alloc(32, 0x5e) };
const keyringFor = (unkeyed: boolean): AuditKeyring => auditKeyring(unkeyed ? [] : [BENCH_KEY]);

interface Target {
  driver: 'postgres' | 'pglite';
  /** A PostgreSQL URL or a PGlite data directory. */
  where: string;
}

function evidence(i: number): Record<string, unknown> {
  const weekly = Array.from({ length: 12 }, (_, w) => (i * 7 + w * 13) % 40);
  return {
    kind: 'dormant_key',
    rule: 'Active key with no usage for 90 days or more',
    subject: { type: 'api_key', id: `apikey_${i}`, label: `service key ${i}` },
    access: {
      kind: 'api_key',
      role: null,
      workspaceId: `wrkspc_${i % 50}`,
      workspaceName: `Workspace ${i % 50}`,
      scope: 'workspace',
      keyHint: `sk-ant-api03-…${(i % 9999).toString().padStart(4, '0')}`,
      status: 'active',
    },
    createdAt: '2024-01-10T09:00:00.000Z',
    createdBy: { type: 'user', id: `user_${i % 400}`, label: `person${i % 400}@example.com` },
    owner: {
      userId: `user_${i % 400}`,
      email: `person${i % 400}@example.com`,
      slackId: `U${(i % 400).toString(36).toUpperCase().padStart(6, '0')}`,
      via: 'creator',
    },
    lastActivity: { at: '2025-01-02T10:00:00.000Z', type: 'api_request' },
    counts: { d7: i % 3, d30: i % 11, d90: i % 41 },
    usage: { requests30: i % 101, tokens30: (i % 101) * 750, requests90: i % 307, tokens90: (i % 307) * 750 },
    weekly,
    thresholds: { dormantKeyDays: 90 },
    anomaly: null,
    asOf: '2025-03-01T00:00:00.000Z',
  };
}

type BenchRow = ChainedFields & { hash: string; mac: string | null; macKeyId: string | null };

/** Row `seq` of the synthetic chain, given the previous hash. */
function makeRow(seq: number, prevHash: string, start: number, keyed: boolean): BenchRow {
  const at = new Date(start + seq * 1000);
  const decision = seq % 3 === 0;
  const row: ChainedFields = decision
    ? {
        seq,
        at,
        actorType: 'slack_user',
        actorSlackId: `U${(seq % 400).toString(36).toUpperCase().padStart(6, '0')}`,
        actorAnthropicId: `user_${seq % 400}`,
        actorLabel: null,
        action: 'review.decided',
        subjectType: 'api_key',
        subjectId: `apikey_${seq}`,
        reviewItemId: `ri_${seq}`,
        outcome: seq % 2 === 0 ? 'keep' : 'revoke',
        evidence: evidence(seq),
        details: {
          decision: seq % 2 === 0 ? 'keep' : 'revoke',
          reason: `Still used by pipeline ${seq % 97}, confirmed with the team`,
          keepUntil: '2025-06-01T00:00:00.000Z',
        },
        policyVersion: 'bench-policy',
        prevHash,
      }
    : {
        seq,
        at,
        actorType: 'system',
        actorSlackId: null,
        actorAnthropicId: null,
        actorLabel: seq % 3 === 1 ? 'outbox' : 'sync',
        action: seq % 3 === 1 ? 'action.executed' : 'sync.completed',
        subjectType: seq % 3 === 1 ? 'api_key' : null,
        subjectId: seq % 3 === 1 ? `apikey_${seq - 1}` : null,
        reviewItemId: seq % 3 === 1 ? `ri_${seq - 1}` : null,
        outcome: 'succeeded',
        evidence: null,
        details: { kind: 'deactivate_key', attempt: 1 },
        policyVersion: 'bench-policy',
        prevHash,
      };
  const hash = rowHash(row);
  return keyed
    ? { ...row, hash, mac: rowMac(BENCH_KEY.secret, BENCH_KEY.id, hash), macKeyId: BENCH_KEY.id }
    : { ...row, hash, mac: null, macKeyId: null };
}

/** COPY … WITH (FORMAT csv): unquoted empty is NULL, everything else quoted. */
function copyLine(r: BenchRow): string {
  const q = (v: string | number | null) => (v === null ? '' : `"${String(v).replaceAll('"', '""')}"`);
  const j = (v: Record<string, unknown> | null) => (v === null ? '' : q(JSON.stringify(v)));
  return (
    [
      r.seq,
      q(r.at.toISOString()),
      q(r.actorType),
      q(r.actorSlackId),
      q(r.actorAnthropicId),
      q(r.actorLabel),
      q(r.action),
      q(r.subjectType),
      q(r.subjectId),
      q(r.reviewItemId),
      q(r.outcome),
      j(r.evidence),
      j(r.details),
      q(r.policyVersion),
      q(r.prevHash),
      q(r.hash),
      q(r.mac),
      q(r.macKeyId),
    ].join(',') + '\n'
  );
}

/** Yields the chain as COPY text in chunks of `per` rows. */
function* chunks(rows: number, per: number, keyed: boolean): Generator<string> {
  const start = Date.UTC(2024, 0, 1);
  let prev = GENESIS_HASH;
  let buf: string[] = [];
  for (let seq = 1; seq <= rows; seq++) {
    const r = makeRow(seq, prev, start, keyed);
    prev = r.hash;
    buf.push(copyLine(r));
    if (buf.length === per) {
      yield buf.join('');
      buf = [];
    }
  }
  if (buf.length) yield buf.join('');
}

async function fill(target: Target, rows: number, keyed: boolean): Promise<void> {
  const copy = `copy audit_log (${COLUMNS}) from stdin with (format csv)`;
  if (target.driver === 'postgres') {
    const sql = postgres(target.where, { max: 1, onnotice: () => {} });
    const stream = await sql.unsafe(copy).writable();
    for (const chunk of chunks(rows, 10_000, keyed)) {
      if (!stream.write(chunk)) await new Promise((r) => stream.once('drain', r));
    }
    stream.end();
    await new Promise<void>((resolve, reject) => stream.on('finish', resolve).on('error', reject));
    await sql`vacuum analyze audit_log`;
    await sql.end();
    return;
  }
  const pg = new PGlite(target.where);
  for (const chunk of chunks(rows, 20_000, keyed)) {
    await pg.query(copy.replace('from stdin', `from '/dev/blob'`), [], { blob: new Blob([chunk]) });
  }
  await pg.exec('vacuum analyze audit_log');
  await pg.close();
}

/** The child: open the database, verify, report figures as one JSON line. */
async function child(target: Target, batchSize: number, keyring: AuditKeyring): Promise<void> {
  const database = await openDatabase(
    target.driver === 'postgres' ? { url: target.where, max: 2 } : { dataDir: target.where },
  );
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const baselineRss = peakRss;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await verifyAuditChain(database.db, { batchSize, keyring });
  const seconds = (performance.now() - started) / 1000;
  // CPU of this process (user + system): less sensitive than wall time to a busy host.
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  await database.close();
  process.stdout.write(
    `${JSON.stringify({
      ok: result.ok,
      rows: result.rows,
      keyedRows: result.mac.keyedRows,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      baselineRssMb: baselineRss / 2 ** 20,
      peakRssMb: Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20,
      peakHeapMb: peakHeap / 2 ** 20,
    })}\n`,
  );
}

async function runChild(
  target: Target,
  batchSize: number,
  withoutKey: boolean,
): Promise<Record<string, number | boolean>> {
  const script = fileURLToPath(import.meta.url);
  const heap = args['heap-limit'] ? [`--max-old-space-size=${Number(args['heap-limit'])}`] : [];
  const proc = spawn(
    process.execPath,
    [
      ...process.execArgv,
      ...heap,
      script,
      '--child',
      JSON.stringify(target),
      '--batch-size',
      String(batchSize),
      ...(withoutKey ? ['--unkeyed'] : []),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((r) => proc.on('close', r));
  if (code !== 0) throw new Error(`verify child exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, number | boolean>;
}

async function main(): Promise<void> {
  const batchSize = Number(args['batch-size']);
  if (args.child) return child(JSON.parse(args.child) as Target, batchSize, keyringFor(args.unkeyed));

  const rows = Number(args.rows);
  const serverUrl = args.db ?? process.env.DATABASE_URL;
  let target: Target;
  let cleanup: () => Promise<void>;
  let closeAdmin = async (): Promise<void> => {};
  if (serverUrl) {
    const name = `steward_bench_audit_${randomBytes(4).toString('hex')}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const u = new URL(serverUrl);
    u.pathname = `/${name}`;
    target = { driver: 'postgres', where: u.toString() };
    cleanup = async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
    };
    closeAdmin = () => admin.end();
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'steward-bench-audit-'));
    target = { driver: 'pglite', where: join(dir, 'data') };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  try {
    const database = await openDatabase(
      target.driver === 'postgres' ? { url: target.where } : { dataDir: target.where },
    );
    await migrateDatabase(database);
    await database.close();

    const t0 = performance.now();
    await fill(target, rows, !args.unkeyed);
    const fillSeconds = (performance.now() - t0) / 1000;
    const r = await runChild(target, batchSize, args.unkeyed);
    if (!r.ok || r.rows !== rows || r.keyedRows !== (args.unkeyed ? 0 : rows))
      throw new Error(`verify failed: ${JSON.stringify(r)}`);
    const seconds = Number(r.seconds);
    const line = (k: string, v: string) => console.log(`${k.padEnd(22)} ${v}`);
    line('driver', target.driver);
    line('rows', rows.toLocaleString('en-US'));
    line('MAC', args.unkeyed ? 'none (chain only)' : 'HMAC-SHA-256, checked on every row');
    line('fill (generate+COPY)', `${fillSeconds.toFixed(1)} s`);
    line('verify', `${seconds.toFixed(1)} s`);
    line('verify rows/s', Math.round(rows / seconds).toLocaleString('en-US'));
    line('verify CPU (child)', `${Number(r.cpuSeconds).toFixed(1)} s`);
    line('batch size', String(batchSize));
    if (args['heap-limit']) line('child heap limit', `${args['heap-limit']} MB (--max-old-space-size)`);
    line('child RSS at start', `${Number(r.baselineRssMb).toFixed(0)} MB`);
    line('child peak RSS', `${Number(r.peakRssMb).toFixed(0)} MB`);
    line('child peak JS heap', `${Number(r.peakHeapMb).toFixed(0)} MB`);
    console.log(
      `| ${target.driver}${args.unkeyed ? ', unkeyed' : ', MAC'} | ${rows.toLocaleString('en-US')} | ${seconds.toFixed(1)} | ${Number(r.cpuSeconds).toFixed(1)} | ${Math.round(rows / seconds).toLocaleString('en-US')} | ` +
        `${Number(r.peakRssMb).toFixed(0)} MB | ${Number(r.peakHeapMb).toFixed(0)} MB | ${fillSeconds.toFixed(0)} s |`,
    );
    if (!args.unkeyed && Number(args.pairs) > 0) await pairs(target, batchSize, rows, Number(args.pairs));
  } finally {
    if (args.keep) console.log(`kept: ${JSON.stringify(target)}`);
    else await cleanup();
    await closeAdmin();
  }
}

/** Verify with and without the key, alternating, on the same keyed rows; medians of each. */
async function pairs(target: Target, batchSize: number, rows: number, n: number): Promise<void> {
  const runs: Record<'checked' | 'unchecked', { seconds: number; cpu: number }[]> = { checked: [], unchecked: [] };
  for (let i = 0; i < n; i++) {
    for (const mode of ['checked', 'unchecked'] as const) {
      const r = await runChild(target, batchSize, mode === 'unchecked');
      if (!r.ok || r.rows !== rows) throw new Error(`verify failed: ${JSON.stringify(r)}`);
      runs[mode].push({ seconds: Number(r.seconds), cpu: Number(r.cpuSeconds) });
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const mode of ['checked', 'unchecked'] as const) {
    const wall = median(runs[mode].map((x) => x.seconds));
    const cpu = median(runs[mode].map((x) => x.cpu));
    console.log(
      `${`MACs ${mode} (median of ${n})`.padEnd(30)} verify ${wall.toFixed(1)} s, CPU ${cpu.toFixed(1)} s, ${Math.round(rows / wall).toLocaleString('en-US')} rows/s` +
        `  [wall ${runs[mode].map((x) => x.seconds.toFixed(1)).join(', ')}; CPU ${runs[mode].map((x) => x.cpu.toFixed(1)).join(', ')}]`,
    );
  }
}

await main();
