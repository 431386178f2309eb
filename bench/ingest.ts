/**
 * Activity-feed ingest at scale, against the machine's own limit and the feed's budget.
 *
 *   npx tsx bench/ingest.ts [--activities 1000000] [--db postgres://postgres@127.0.0.1:5432/postgres] [--in-place]
 *                           [--latency-ms 0,100,300] [--jitter-ms 0] [--rate-limit] [--share 0.5] [--parallel 4]
 *                           [--page-size 5000] [--batch-size 200000] [--read-ahead 1] [--heap-limit <MB, default 192; 0 = none>]
 *                           [--runtime node|tsx] [--skip-trigger-run] [--keep] [--profile <dir>] [--cold-sim]
 *
 * 1. Starts the simulated API in a child process (bench/sim-server.ts) with a
 *    synthetic feed of N activities over 90 days from 2,000 people, 500 API keys and
 *    a few service accounts, admin keys and SCIM; with --rate-limit it enforces the
 *    documented budget of 600 requests a minute.
 * 2. Creates a scratch PostgreSQL database beside --db (or, with --in-place, uses --db
 *    itself), migrates it, and runs Steward's activity ingester end to end in a child
 *    process of its own (HTTP → zod → pages stored in per-window batches → roll-ups +
 *    correlation triggers + checkpoints), once per --latency-ms value (each feed response
 *    held that long), measuring activities/s and that process's peak RSS.
 * 3. The limit: dumps the same rows to a file, empties activity_events and
 *    privilege_grants, and times a plain `COPY activity_events FROM STDIN` of them twice
 *    (the table's indexes and trigger included, as for ingest; the faster counts), then
 *    once more with user triggers disabled to show what the trigger costs.
 * 4. Unless --skip-trigger-run: ingests again into emptied tables with the roll-up and
 *    grant triggers disabled, to show what the correlation triggers cost ingest.
 * Prints every figure, ingest / COPY and ingest / min(budget ceiling, COPY), where the
 * budget ceiling is 5,000 activities × 600 requests a minute × --share / 60. The scratch
 * database is dropped unless --keep.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { defaultPolicy } from '../src/config/policy.js';
import { openDatabase } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { DEFAULT_ACTIVITY_BATCH_SIZE, DEFAULT_ACTIVITY_READ_AHEAD } from '../src/sync/activities/ingester.js';
import { machineBusySeconds, processCpuSeconds, sampleCpu } from './cpu.js';
import type { IngestFigures, IngestSpec } from './ingest-child.js';

const { values: args } = parseArgs({
  options: {
    activities: { type: 'string', default: '1000000' },
    db: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    'page-size': { type: 'string', default: '5000' },
    'batch-size': { type: 'string', default: String(DEFAULT_ACTIVITY_BATCH_SIZE) },
    'read-ahead': { type: 'string', default: String(DEFAULT_ACTIVITY_READ_AHEAD) },
    /** Caps the ingest process's V8 old space (MB) as the Docker image does (NODE_OPTIONS); 0: no cap. */
    'heap-limit': { type: 'string', default: '192' },
    /** V8's young generation per semi-space (MB) for the ingest process, as the Docker image sets it; 0: V8's default. */
    'semi-space': { type: 'string', default: '0' },
    'skip-trigger-run': { type: 'boolean', default: false },
    /** Let the simulator render every page during the measured run (no warm-up ingest; see sim-server --cache-pages). */
    'cold-sim': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    /** Use the database --db names as it is (migrated, the ingest tables emptied) instead of a scratch one beside it. */
    'in-place': { type: 'boolean', default: false },
    /** node (default): the ingest process runs compiled JavaScript; tsx: through the tsx loader. */
    runtime: { type: 'string', default: 'node' },
    /** Writes a V8 CPU profile of the ingest process into this directory (node --cpu-prof). */
    profile: { type: 'string' },
    /**
     * Each feed response held this long, as a network round trip would (bench/sim-server.ts);
     * a comma-separated list runs one measured ingest per value (`0,100,300`).
     */
    'latency-ms': { type: 'string', default: '0' },
    'jitter-ms': { type: 'string', default: '0' },
    /** The simulator enforces the documented budget (600 requests a minute); off: the write path alone. */
    'rate-limit': { type: 'boolean', default: false },
    /** `sync.feed_rate_share` for Steward (the pacer's share, and the budget ceiling below). */
    share: { type: 'string', default: String(defaultPolicy().policy.sync.feed_rate_share) },
    /** postgres (default): --db's server; pglite: Steward's embedded database in a scratch data directory. */
    driver: { type: 'string', default: 'postgres' },
    /** `sync.catchup_parallel`: the most windows read at once (1: one cursor). */
    parallel: { type: 'string', default: String(defaultPolicy().policy.sync.catchup_parallel) },
  },
});

const N = Number(args.activities);
const pageSize = Number(args['page-size']);
const batchSize = Number(args['batch-size']);
const readAhead = Number(args['read-ahead']);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

interface Sim {
  child: ChildProcess;
  url: string;
  key: string;
  now: Date;
  /** Sends a command line to bench/sim-server.ts and waits for its `ok`. */
  command(line: string): Promise<void>;
}

async function startSim(): Promise<Sim> {
  const script = fileURLToPath(new URL('./sim-server.ts', import.meta.url));
  const cache = args['cold-sim'] ? [] : ['--cache-pages'];
  // Latency is set per run (`latency` command), after the warm-up.
  const flags = ['--latency-op', 'compliance.activities', ...(args['rate-limit'] ? ['--rate-limit'] : [])];
  const child = spawn(process.execPath, [...process.execArgv, script, '--activities', String(N), ...cache, ...flags], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sim-server exited with ${code}`)));
  });
  const info = JSON.parse(first) as { url: string; complianceKey: string; now: string };
  return {
    child,
    url: info.url,
    key: info.complianceKey,
    now: new Date(info.now),
    command: (line) =>
      new Promise<void>((resolve) => {
        lines.once('line', () => resolve());
        child.stdin.write(`${line}\n`);
      }),
  };
}

/**
 * The ingest runs in a process of its own, compiled with tsc and run by plain `node`
 * as the Docker image runs Steward (`--runtime tsx` runs the TypeScript through tsx, as
 * `npm start` does, which costs some 85 MB of RSS for the loader).
 */
function buildChild(): string {
  if (args.runtime === 'tsx') return fileURLToPath(new URL('./ingest-child.ts', import.meta.url));
  const project = fileURLToPath(new URL('./tsconfig.ingest.json', import.meta.url));
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  const built = spawnSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('compiling the ingest process failed');
  return fileURLToPath(new URL('./out/ingest/bench/ingest-child.js', import.meta.url));
}

/**
 * What Steward's database session was doing, sampled from pg_stat_activity: working
 * (on CPU or waiting on I/O inside a statement) or idle in its transaction, waiting for
 * Steward to send the next statement.
 */
function sampleSessions(
  sql: postgres.Sql,
  everyMs = 25,
): { stop(): Promise<{ seen: Record<string, number>; backendCpu: number }> } {
  const seen: Record<string, number> = {};
  /**
   * CPU seconds of each of Steward's backends at its last sample (they start with the
   * ingest's connections, so from zero): PostgreSQL's work for Steward alone, which the
   * machine-wide figure mixes with other users of a shared server.
   */
  const backends = new Map<number, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await sql<Array<{ what: string; pid: number }>>`
        select pid, case when state = 'active' then 'running' || coalesce(' (' || wait_event_type || ': ' || wait_event || ')', '') else state || ' after ' || lower(split_part(ltrim(query), ' ', 1)) end as what
        from pg_stat_activity where application_name = 'steward' and datname = current_database()`;
      for (const { what, pid } of rows) {
        if (!what.startsWith('idle after')) seen[what] = (seen[what] ?? 0) + 1;
        const secs = processCpuSeconds(pid);
        if (secs > 0) backends.set(pid, secs);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { seen, backendCpu: [...backends.values()].reduce((a, b) => a + b, 0) };
    },
  };
}

interface IngestRun extends IngestFigures {
  /** Samples of Steward's database sessions by state (see sampleSessions). */
  sessions: Record<string, number>;
  /** CPU seconds of Steward's own PostgreSQL backends. */
  cpuBackends: number;
  /** CPU seconds of all PostgreSQL processes, of the simulator, and of the whole machine (all cores) during the run. */
  cpuPostgres: number;
  cpuSim: number;
  cpuMachine: number;
}

async function ingest(
  script: string,
  target: { url: string } | { dataDir: string },
  sim: Sim,
  label: string,
  observer: postgres.Sql | undefined,
): Promise<IngestRun> {
  const spec: IngestSpec = {
    ...target,
    sim: { url: sim.url, key: sim.key, now: sim.now.toISOString() },
    label,
    pageSize,
    batchSize,
    readAhead,
    share: Number(args.share),
    parallel: Number(args.parallel),
  };
  const heap = Number(args['heap-limit']) > 0 ? [`--max-old-space-size=${Number(args['heap-limit'])}`] : [];
  if (Number(args['semi-space']) > 0) heap.push(`--max-semi-space-size=${Number(args['semi-space'])}`);
  const loader = args.runtime === 'tsx' ? [...process.execArgv] : [];
  if (args.profile) loader.push('--cpu-prof', `--cpu-prof-dir=${args.profile}`);
  const machine0 = machineBusySeconds().busy;
  const cpu = sampleCpu('postgres', [sim.child.pid!]);
  const sessions = observer ? sampleSessions(observer) : { stop: async () => ({ seen: {}, backendCpu: 0 }) };
  const child = spawn(process.execPath, [...heap, ...loader, script, JSON.stringify(spec)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const used = cpu.stop();
  const states = await sessions.stop();
  const cpuMachine = machineBusySeconds().busy - machine0;
  if (code !== 0) throw new Error(`the ingest process exited with ${code}`);
  return {
    ...(JSON.parse(out) as IngestFigures),
    cpuPostgres: used.command,
    cpuSim: used.pids,
    cpuMachine,
    sessions: states.seen,
    cpuBackends: states.backendCpu,
  };
}

function describeSessions(seen: Record<string, number>): string {
  const total = Object.values(seen).reduce((a, b) => a + b, 0) || 1;
  return Object.entries(seen)
    .sort((a, b) => b[1] - a[1])
    .filter(([, n]) => n / total >= 0.01)
    .map(([what, n]) => `${what} ${((100 * n) / total).toFixed(0)}%`)
    .join(', ');
}

/** The most activities a second Steward may read under the budget: 5,000 a page × its share of 600 requests a minute. */
function budgetCeiling(share: number): number {
  return (5000 * 600 * share) / 60;
}

const latencies = args['latency-ms'].split(',').map((v) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new Error(`--latency-ms: '${v}' is not a number of ms`);
  return n;
});

interface Measured {
  latencyMs: number;
  run: IngestRun;
}

async function main(): Promise<void> {
  const admin = postgres(args.db, { max: 1, onnotice: () => {} });
  const inPlace = args['in-place'];
  const name = `steward_bench_ingest_${randomBytes(4).toString('hex')}`;
  if (!inPlace) await admin.unsafe(`create database "${name}"`);
  const u = new URL(args.db);
  if (!inPlace) u.pathname = `/${name}`;
  const url = u.toString();
  const migrated = await openDatabase({ url, max: 2 });
  await migrateDatabase(migrated);
  await migrated.close();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const [{ version }] = await sql<[{ version: string }]>`select current_setting('server_version') as version`;
  const dir = mkdtempSync(join(tmpdir(), 'steward-bench-'));
  let sim: Sim | undefined;
  try {
    const loadBefore = loadavg();
    process.stderr.write(`Starting the simulator with ${fmt(N)} activities…\n`);
    sim = await startSim();

    const child = buildChild();
    const emptyIngestTables = async () => {
      await sql`truncate activity_events, privilege_grants, principal_activity_daily, principal_activity_summary, principal_activity_recent, sync_checkpoints, activity_catchup_windows`;
      await sql`checkpoint`;
    };
    if (inPlace) await emptyIngestTables();
    if (!args['cold-sim']) {
      // The simulator runs on this machine's cores, which a real API would not: a first
      // ingest has it render every page once, and the measured ones are served from memory.
      process.stderr.write("Warm-up ingest (fills the simulator's page cache; not measured)…\n");
      await ingest(child, { url }, sim, 'warm-up', sql);
    }
    const measured: Measured[] = [];
    let rollups = 0;
    let summaries = 0;
    for (const latencyMs of latencies) {
      await emptyIngestTables();
      await sim.command(`latency ${latencyMs} ${args['jitter-ms']}`);
      // Each run starts with the budget's full window, as a first catch-up would.
      await sim.command('reset-rate-limit');
      process.stderr.write(`Ingesting (Steward, end to end) at ${latencyMs} ms a page…\n`);
      const run = await ingest(child, { url }, sim, `ingest at ${latencyMs} ms`, sql);
      const [counted] = await sql<[{ events: number; rollups: number; summaries: number }]>`
        select (select count(*) from activity_events)::int as events, (select count(*) from principal_activity_daily)::int as rollups,
               (select count(*) from principal_activity_summary)::int as summaries`;
      if (counted.events !== N) throw new Error(`expected ${N} events stored, found ${counted.events}`);
      rollups = counted.rollups;
      summaries = counted.summaries;
      measured.push({ latencyMs, run });
    }
    await sim.command('latency 0 0');

    // The machine's limit: the same rows, plain COPY into the same table.
    const file = join(dir, 'activity_events.copy');
    const cols = 'id, created_at, type, actor_type, actor_id, org_id, raw, ingested_at';
    // Dumped on a connection of its own, closed afterwards, so the COPY below starts clean.
    const dump = postgres(url, { max: 1, onnotice: () => {} });
    await pipeline(
      await dump.unsafe(`copy (select ${cols} from activity_events) to stdout`).readable(),
      createWriteStream(file),
    );
    await dump.end();
    const bytes = statSync(file).size;
    process.stderr.write(`  dumped ${mb(bytes)}\n`);
    const [{ pid: copyPid }] = await sql<[{ pid: number }]>`select pg_backend_pid() as pid`;
    const copyOnce = async (): Promise<{ secs: number; cpu: number }> => {
      await sql`truncate activity_events, privilege_grants`;
      await sql`checkpoint`;
      process.stderr.write('  COPY…\n');
      const cpu0 = processCpuSeconds(copyPid);
      const t0 = performance.now();
      await pipeline(createReadStream(file), await sql.unsafe(`copy activity_events (${cols}) from stdin`).writable());
      return { secs: (performance.now() - t0) / 1000, cpu: processCpuSeconds(copyPid) - cpu0 };
    };
    process.stderr.write('COPY baseline…\n');
    // Twice, and the faster counts: the limit is the best this machine does.
    const copyRuns = [await copyOnce(), await copyOnce()];
    const best = copyRuns.reduce((a, b) => (b.secs < a.secs ? b : a));
    await sql`alter table activity_events disable trigger user`;
    const copyBare = await copyOnce();
    await sql`alter table activity_events enable trigger user`;

    let bare: IngestRun | undefined;
    if (!args['skip-trigger-run']) {
      process.stderr.write('Ingesting again with the correlation triggers disabled (first latency)…\n');
      await emptyIngestTables();
      await sim.command(`latency ${latencies[0]} ${args['jitter-ms']}`);
      await sim.command('reset-rate-limit');
      await sql`alter table activity_events disable trigger user`;
      await sql`alter table principal_activity_daily disable trigger user`;
      await sql`checkpoint`;
      bare = await ingest(child, { url }, sim, 'ingest without triggers', sql);
      await sql`alter table activity_events enable trigger user`;
      await sql`alter table principal_activity_daily enable trigger user`;
    }

    const share = Number(args.share);
    const copyRate = N / best.secs;
    const ceiling = budgetCeiling(share);
    const limit = Math.min(ceiling, copyRate);
    const loadAfter = loadavg();
    const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
    const lines = [
      '',
      `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${mb(totalmem())} RAM (${mb(freemem())} free); PostgreSQL ${version}; Node ${process.version}`,
      `Load average (1, 5, 15 min): ${la(loadBefore)} at the start, ${la(loadAfter)} at the end`,
      `Activities: ${fmt(N)} (${mb(bytes)} as COPY text), page size ${pageSize}, batch ${fmt(batchSize)}, read-ahead ${readAhead}; roll-up rows ${fmt(rollups)}, summaries ${fmt(summaries)}`,
      `Simulator rate limit ${args['rate-limit'] ? 'on (600 requests a minute)' : 'off'}; feed_rate_share ${share}, catchup_parallel ${args.parallel}; budget ceiling 5,000 × 600 × ${share} / 60 = ${fmt(ceiling)} activities/s`,
      '',
      `COPY into activity_events (limit)     ${best.secs.toFixed(1).padStart(7)} s  ${fmt(copyRate).padStart(9)} rows/s  (faster of ${copyRuns.map((c) => `${c.secs.toFixed(1)} s`).join(' and ')}; its backend's CPU ${best.cpu.toFixed(1)} s)`,
      `COPY, user triggers disabled          ${copyBare.secs.toFixed(1).padStart(7)} s  ${fmt(N / copyBare.secs).padStart(9)} rows/s`,
      ...measured.flatMap(({ latencyMs, run }) => {
        const rate = N / run.secs;
        return [
          `ingest at ${String(latencyMs).padStart(3)} ms a page            ${run.secs.toFixed(1).padStart(7)} s  ${fmt(rate).padStart(9)} activities/s  ${(rate / copyRate).toFixed(2)} × COPY  ${(rate / limit).toFixed(2)} × min(budget ceiling, COPY)  peak RSS ${mb(run.peak)} (heap ${mb(run.peakHeap)})`,
          `  counts ${JSON.stringify(run.counts)}`,
          `  windows ${run.counts['windows'] ?? 0}, at most ${run.counts['windows_at_once'] ?? 1} at once, ${run.counts['pages'] ?? 0} pages; CPU: Steward's PostgreSQL backends ${run.cpuBackends.toFixed(1)} s (all PostgreSQL processes ${run.cpuPostgres.toFixed(1)} s), Steward ${run.cpu.toFixed(1)} s, simulator ${run.cpuSim.toFixed(1)} s; machine ${run.cpuMachine.toFixed(1)} of ${(cpus().length * run.secs).toFixed(1)} core-seconds busy`,
          `  Steward's database sessions: ${describeSessions(run.sessions)}`,
        ];
      }),
      ...(bare
        ? [
            `ingest, correlation triggers disabled ${bare.secs.toFixed(1).padStart(7)} s  ${fmt(N / bare.secs).padStart(9)} activities/s  peak RSS ${mb(bare.peak)}`,
          ]
        : []),
      '',
      `Targets: at 0 ms with the rate limit off, ≥ 0.70 × COPY; at 300 ms with the budget on and share 1, ≥ 0.80 × min(budget ceiling, COPY); peak RSS < 256 MB`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    sim?.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    await sql.end();
    if (args.keep || inPlace) process.stderr.write(`Kept ${url}\n`);
    else await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

/**
 * The same on PGlite: Steward's ingest in its own process on a scratch data directory,
 * and the limit a plain `COPY … FROM '/dev/blob'` of the same rows in this process.
 * PGlite runs inside the process that uses it, so the ingest process's CPU and RSS include
 * the database's.
 */
async function mainPglite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-bench-pglite-'));
  const dataDir = join(dir, 'data');
  const open = async () => {
    const d = await openDatabase({ dataDir });
    return { d, q: (text: string) => (d.db as unknown as { $client: PGlite }).$client.query(text) };
  };
  const emptyIngestTables = async () => {
    const { d, q } = await open();
    await q(
      'truncate activity_events, privilege_grants, principal_activity_daily, principal_activity_summary, principal_activity_recent, sync_checkpoints, activity_catchup_windows',
    );
    await d.close();
  };
  let sim: Sim | undefined;
  try {
    const migrated = await openDatabase({ dataDir });
    await migrateDatabase(migrated);
    await migrated.close();
    const loadBefore = loadavg();
    process.stderr.write(`Starting the simulator with ${fmt(N)} activities…\n`);
    sim = await startSim();
    const child = buildChild();
    if (!args['cold-sim']) {
      process.stderr.write("Warm-up ingest (fills the simulator's page cache; not measured)…\n");
      await ingest(child, { dataDir }, sim, 'warm-up', undefined);
    }
    const measured: Measured[] = [];
    for (const latencyMs of latencies) {
      await emptyIngestTables();
      await sim.command(`latency ${latencyMs} ${args['jitter-ms']}`);
      await sim.command('reset-rate-limit');
      process.stderr.write(`Ingesting on PGlite at ${latencyMs} ms a page…\n`);
      const run = await ingest(child, { dataDir }, sim, `pglite ingest at ${latencyMs} ms`, undefined);
      const { d, q } = await open();
      const { rows } = await q('select count(*)::int as n from activity_events');
      await d.close();
      const events = (rows[0] as { n: number }).n;
      if (events !== N) throw new Error(`expected ${N} events stored, found ${events}`);
      measured.push({ latencyMs, run });
    }
    const { d, q } = await open();
    const pg = (d.db as unknown as { $client: PGlite }).$client;
    const cols = 'id, created_at, type, actor_type, actor_id, org_id, raw, ingested_at';
    const dumped = await pg.query(`copy (select ${cols} from activity_events) to '/dev/blob'`);
    const blob = dumped.blob!;
    const copyOnce = async () => {
      await q('truncate activity_events, privilege_grants');
      await q('checkpoint');
      process.stderr.write('  COPY (PGlite)…\n');
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await pg.query(`copy activity_events (${cols}) from '/dev/blob'`, [], { blob });
      const used = process.cpuUsage(cpu0);
      return { secs: (performance.now() - t0) / 1000, cpu: (used.user + used.system) / 1e6 };
    };
    const copyRuns = [await copyOnce(), await copyOnce()];
    await d.close();
    const best = copyRuns.reduce((a, b) => (b.secs < a.secs ? b : a));
    const share = Number(args.share);
    const copyRate = N / best.secs;
    const limit = Math.min(budgetCeiling(share), copyRate);
    const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
    const lines = [
      '',
      `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${mb(totalmem())} RAM; PGlite (embedded, data directory on disk); Node ${process.version}`,
      `Load average (1, 5, 15 min): ${la(loadBefore)} at the start, ${la(loadavg())} at the end`,
      `Activities: ${fmt(N)} (${mb(blob.size)} as COPY text); simulator rate limit ${args['rate-limit'] ? 'on' : 'off'}; feed_rate_share ${share}, catchup_parallel ${args.parallel}`,
      '',
      `COPY into activity_events (limit)     ${best.secs.toFixed(1).padStart(7)} s  ${fmt(copyRate).padStart(9)} rows/s  (faster of ${copyRuns.map((c) => `${c.secs.toFixed(1)} s`).join(' and ')}; CPU ${best.cpu.toFixed(1)} s)`,
      ...measured.flatMap(({ latencyMs, run }) => {
        const rate = N / run.secs;
        return [
          `PGlite ingest at ${String(latencyMs).padStart(3)} ms a page     ${run.secs.toFixed(1).padStart(7)} s  ${fmt(rate).padStart(9)} activities/s  ${(rate / copyRate).toFixed(2)} × COPY  ${(rate / limit).toFixed(2)} × min(budget ceiling, COPY)  peak RSS ${mb(run.peak)} (database included)`,
          `  counts ${JSON.stringify(run.counts)}; CPU: ingest process ${run.cpu.toFixed(1)} s, simulator ${run.cpuSim.toFixed(1)} s; machine ${run.cpuMachine.toFixed(1)} of ${(cpus().length * run.secs).toFixed(1)} core-seconds busy`,
        ];
      }),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    sim?.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await (args.driver === 'pglite' ? mainPglite() : main());
