import { sql } from 'drizzle-orm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { queryRows } from '../db/client.js';
import type { Db } from '../db/types.js';
import type { Clock } from '../domain/clock.js';

/**
 * Prometheus metrics. Counters and histograms are per process (Prometheus sums
 * replicas); state gauges (findings, open reviews, outbox depth, ingest lag) are read
 * from the database at scrape time, so every replica reports the same truth.
 */
export function createMetrics(opts: { db: Db; now: Clock; defaultMetrics?: boolean }) {
  const registry = new Registry();
  const now = opts.now;
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'steward_process_' });

  const jobRuns = new Counter({
    name: 'steward_job_runs_total',
    help: 'Job runs by job and outcome (succeeded, failed, skipped)',
    labelNames: ['job', 'outcome'],
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'steward_job_duration_seconds',
    help: 'Duration of job runs',
    labelNames: ['job'],
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [registry],
  });
  const apiCalls = new Counter({
    name: 'steward_api_calls_total',
    help: 'Calls to Slack and Anthropic by API, method and HTTP status class',
    labelNames: ['api', 'method', 'status'],
    registers: [registry],
  });
  const apiErrors = new Counter({
    name: 'steward_api_errors_total',
    help: 'Failed calls (network errors, 5xx, Slack ok:false is not counted here)',
    labelNames: ['api', 'method'],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'steward_api_rate_limited_total',
    help: '429 responses by API and method',
    labelNames: ['api', 'method'],
    registers: [registry],
  });

  const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => Promise<void>) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        await collect(this);
      },
    });

  gauge('steward_findings', 'Open findings by kind', ['kind'], async (g) => {
    for (const r of await queryRows<{ kind: string; n: number }>(
      opts.db,
      sql`select kind, count(*)::int as n from findings where status = 'open' group by kind`,
    ))
      g.set({ kind: r.kind }, Number(r.n));
  });
  gauge('steward_open_reviews', 'Open reviews by age since delivery (days)', ['age'], async (g) => {
    const at = now().toISOString();
    const rows = await queryRows<{ age: string; n: number }>(
      opts.db,
      sql`select case when delivered_at is null then 'pending'
                      when delivered_at > ${at}::timestamptz - interval '1 day' then '0-1'
                      when delivered_at > ${at}::timestamptz - interval '7 days' then '1-7'
                      when delivered_at > ${at}::timestamptz - interval '30 days' then '7-30'
                      else '30+' end as age, count(*)::int as n
          from review_items where status in ('pending', 'open') group by 1`,
    );
    for (const age of ['pending', '0-1', '1-7', '7-30', '30+'])
      g.set({ age }, Number(rows.find((r) => r.age === age)?.n ?? 0));
  });
  gauge('steward_review_decisions', 'Decided reviews by outcome (all time)', ['outcome'], async (g) => {
    for (const r of await queryRows<{ decision: string; n: number }>(
      opts.db,
      sql`select decision, count(*)::int as n from review_items where status = 'decided' group by decision`,
    )) {
      g.set({ outcome: r.decision }, Number(r.n));
    }
  });
  gauge(
    'steward_outbox_actions',
    'Outbox actions by status (depth = pending + running; failed needs a Retry)',
    ['status'],
    async (g) => {
      const rows = await queryRows<{ status: string; n: number }>(
        opts.db,
        sql`select status, count(*)::int as n from outbox_actions group by status`,
      );
      for (const s of ['pending', 'running', 'succeeded', 'failed', 'dry_run'])
        g.set({ status: s }, Number(rows.find((r) => r.status === s)?.n ?? 0));
    },
  );
  gauge(
    'steward_ingest_lag_seconds',
    'Age of the newest activity ingested (how far behind the feed Steward is)',
    [],
    async (g) => {
      const [r] = await queryRows<{ last: string | Date | null }>(
        opts.db,
        sql`select max(last_event_at) as last from principal_activity_summary`,
      );
      if (r?.last) g.set(Math.max(0, (now().getTime() - new Date(r.last).getTime()) / 1000));
    },
  );

  return {
    registry,
    jobFinished(job: string, outcome: string, seconds: number) {
      jobRuns.inc({ job, outcome });
      if (outcome !== 'skipped') jobDuration.observe({ job }, seconds);
    },
    /** A fetch that counts calls, errors and 429s; given to WebClient and the Anthropic clients. */
    instrumentedFetch(
      api: 'slack' | 'anthropic',
      methodOf: (url: URL) => string,
      base: typeof fetch = fetch,
    ): typeof fetch {
      return async (input, init) => {
        const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
        const method = methodOf(url);
        try {
          const res = await base(input, init);
          apiCalls.inc({ api, method, status: `${Math.floor(res.status / 100)}xx` });
          if (res.status === 429) rateLimited.inc({ api, method });
          if (res.status >= 500) apiErrors.inc({ api, method });
          return res;
        } catch (err) {
          apiCalls.inc({ api, method, status: 'error' });
          apiErrors.inc({ api, method });
          throw err;
        }
      };
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Slack methods are the last path segment (`/api/chat.postMessage`). */
export const slackMethod = (url: URL): string => url.pathname.split('/').filter(Boolean).pop() ?? 'unknown';

/** Anthropic paths with ids folded, so labels stay few: `/v1/organizations/api_keys/{id}`. */
export const anthropicMethod = (url: URL): string =>
  url.pathname
    .split('/')
    .map((seg) => (/^[a-z]+_[A-Za-z0-9]{6,}$/.test(seg) || /^[0-9a-f-]{20,}$/.test(seg) ? '{id}' : seg))
    .join('/');
