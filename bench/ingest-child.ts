/**
 * The measured process of bench/ingest.ts: nothing in it but Steward's activity
 * ingester, its database pool and the feed client. bench/ingest.ts compiles it with
 * src/ (bench/tsconfig.ingest.json) and runs it with plain `node`, as the Docker image
 * runs Steward, so the figures are not those of a TypeScript loader.
 *
 *   node bench/out/ingest/bench/ingest-child.js '<spec JSON>' <page size> <batch size>
 *
 * Prints one JSON line: IngestFigures.
 */
import { createComplianceFeedClient } from '../src/anthropic/compliance/client.js';
import { parsePolicy } from '../src/config/policy.js';
import { openDatabase } from '../src/db/client.js';
import { createLogger } from '../src/log.js';
import { createActivityIngester } from '../src/sync/activities/ingester.js';
import { syncSettings } from '../src/sync/settings.js';

export interface IngestSpec {
  /** PostgreSQL; or… */
  url?: string;
  /** …a PGlite data directory. */
  dataDir?: string;
  sim: { url: string; key: string; now: string };
  label: string;
  pageSize: number;
  batchSize: number;
  readAhead: number;
  /** `sync.feed_rate_share`: the client's pacing and the catch-up's sizing, as services.ts wires them. */
  share: number;
  /** `sync.catchup_parallel`. */
  parallel: number;
}

export interface IngestFigures {
  secs: number;
  /** RSS once everything is loaded, before the first request. */
  baseline: number;
  peak: number;
  peakHeap: number;
  /** CPU seconds (user + system) this process spent ingesting. */
  cpu: number;
  counts: Record<string, number>;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function ingestChild(spec: IngestSpec): Promise<IngestFigures> {
  // A connection per window read at once, and two for the rest (as the service's pool of ten allows).
  const database = await openDatabase({ url: spec.url, dataDir: spec.dataDir, max: spec.parallel + 2 });
  try {
    const now = new Date(spec.sim.now);
    const policy = parsePolicy(
      `sync:\n  feed_rate_share: ${spec.share}\n  catchup_parallel: ${spec.parallel}\n`,
      'bench-policy.yaml',
    ).policy;
    const ingester = createActivityIngester({
      db: database.db,
      feed: createComplianceFeedClient({
        apiKey: spec.sim.key,
        baseUrl: spec.sim.url,
        rateShare: policy.sync.feed_rate_share,
      }),
      logger: createLogger({ level: 'warn' }),
      now: () => now,
      settings: syncSettings(policy),
      pageSize: spec.pageSize,
      batchSize: spec.batchSize,
      readAhead: spec.readAhead,
    });
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let peakHeap = 0;
    // process.memoryUsage() walks the heap's spaces; called every 20 ms it cost the
    // measured process ~1.5% of its CPU, so RSS (cheaper) is sampled every 50 ms and the heap rarely.
    let ticks = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
      if (ticks++ % 10 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }, 50);
    let lastPrint = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const result = await ingester.run({
      onProgress(p) {
        const t = performance.now();
        if (t - lastPrint < 2000) return;
        lastPrint = t;
        const eta = p.etaSeconds !== undefined ? `, ETA ${p.etaSeconds.toFixed(0)} s` : '';
        const m = process.memoryUsage();
        process.stderr.write(
          `  ${spec.label}: ${p.phase} ${fmt(p.counts['fetched'] ?? 0)} read, ${fmt(p.rate ?? 0)}/s${eta}, rss ${mb(m.rss)} (heap ${mb(m.heapUsed)}/${mb(m.heapTotal)}, external ${mb(m.external)})\n`,
        );
      },
    });
    const secs = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu0);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (result.status !== 'succeeded') throw new Error(`ingest failed: ${result.error?.message}`);
    return { secs, baseline, peak, peakHeap, cpu: (used.user + used.system) / 1e6, counts: result.counts };
  } finally {
    await database.close();
  }
}

const spec = process.argv[2];
if (spec) process.stdout.write(JSON.stringify(await ingestChild(JSON.parse(spec) as IngestSpec)));
