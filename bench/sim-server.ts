/**
 * The simulated Anthropic API with a large synthetic activity feed, as a separate
 * process for `bench/ingest.ts` (so the simulator's CPU and memory are not counted as
 * Steward's). Prints one JSON line — { url, complianceKey, now, count } — when it
 * listens, and exits when its stdin closes or on SIGTERM.
 *
 *   npx tsx bench/sim-server.ts [--activities 1000000] [--days 90] [--users 2000] [--keys 500]
 *                               [--latency-ms 0] [--jitter-ms 0] [--latency-op '*'] [--rate-limit]
 *
 * --latency-ms / --jitter-ms hold each response that long (plus a seeded uniform share of
 * the jitter), as the simulator's `latency` setting does (src/sim/anthropic/latency.ts): a
 * real feed page costs a network round trip, which a local simulator does not. --latency-op
 * narrows it to one op or glob (`compliance.activities`, `compliance.*`; default every route).
 * --rate-limit turns on the feed's documented budget of 600 requests a minute (off by default).
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { actors, startAnthropicSim, type Actor } from '../src/sim/anthropic/index.js';

const { values: args } = parseArgs({
  options: {
    activities: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '90' },
    users: { type: 'string', default: '2000' },
    keys: { type: 'string', default: '500' },
    now: { type: 'string', default: '2026-11-20T12:00:00Z' },
    /**
     * Serve a feed page already served once from memory instead of rendering it again.
     * The simulator shares this machine's cores with Steward and PostgreSQL; a real API
     * does not, so bench/ingest warms this cache with one ingest and measures the next.
     */
    'cache-pages': { type: 'boolean', default: false },
    'latency-ms': { type: 'string', default: '0' },
    'jitter-ms': { type: 'string', default: '0' },
    'latency-op': { type: 'string', default: '*' },
    /**
     * The documented budget (600 requests a minute per parent organisation, enforced with the
     * `anthropic-ratelimit-requests-*` headers); off by default so the write path is measured alone.
     */
    'rate-limit': { type: 'boolean', default: false },
  },
});

/** A flag that must be a non-negative number of milliseconds; anything else stops the bench with its name. */
function millis(flag: 'latency-ms' | 'jitter-ms'): number {
  const text = args[flag];
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < 0) {
    process.stderr.write(`sim-server: --${flag} must be a non-negative number of milliseconds, got '${text}'\n`);
    process.exit(2);
  }
  return v;
}
const latencyMs = millis('latency-ms');
const jitterMs = millis('jitter-ms');

const now = Date.parse(args.now);
const count = Number(args.activities);
const days = Number(args.days);

// Fixed clock: the feed is fully visible and the window is the same on every run.
const sim = await startAnthropicSim({
  now: () => now,
  seed: 11,
  feed: { rateLimitPerMinute: args['rate-limit'] ? 600 : null },
  emit: { complianceAccess: false },
  latency: latencyMs > 0 || jitterMs > 0 ? { [args['latency-op']]: { fixedMs: latencyMs, jitterMs } } : {},
});

// A realistic mix of actors: people (most activity), API keys, service accounts, admin keys, SCIM.
const people: Actor[] = Array.from({ length: Number(args.users) }, (_, i) =>
  actors.user(`user_bench${String(i).padStart(6, '0')}`, `person${i}@example.com`),
);
const keys: Actor[] = Array.from({ length: Number(args.keys) }, (_, i) =>
  actors.api(`apikey_bench${String(i).padStart(6, '0')}`),
);
const others: Actor[] = [
  ...Array.from({ length: 20 }, (_, i) => actors.serviceAccount(`svac_bench${i}`)),
  ...Array.from({ length: 5 }, (_, i) => actors.adminApiKey(`apikey_admin${i}`)),
  actors.scim('directory_bench', 'evt_bench'),
];
const mix: Actor[] = [...people, ...people, ...people, ...keys, ...others];
const types = [
  'claude_chat_created',
  'claude_chat_created',
  'claude_chat_viewed',
  'claude_chat_viewed',
  'claude_chat_viewed',
  'claude_chat_updated',
  'claude_file_uploaded',
  'claude_file_viewed',
  'claude_project_viewed',
  'claude_project_created',
  'sso_login_succeeded',
  'user_logged_out',
  'claude_artifact_viewed',
  'claude_skill_enabled',
  // Administrative ones, including grants the privilege trigger extracts.
  'org_user_invite_sent',
  'platform_api_key_updated',
  'claude_user_role_updated',
  'platform_workspace_member_added',
];
sim.state.addSyntheticActivities({ count, start: now - days * 86_400_000, end: now - 5 * 60_000, actors: mix, types });

const url = args['cache-pages'] ? await cachingFront(sim.url) : sim.url;
process.stdout.write(
  `${JSON.stringify({ url, complianceKey: sim.config.complianceKey, now: new Date(now).toISOString(), count, latencyMs, jitterMs })}\n`,
);

/**
 * An HTTP front for the simulator that keeps every successful feed page it passes on,
 * keyed by the request's path and query, and answers a repeat of that request from
 * memory, byte for byte as the simulator answered it. Everything else is passed through.
 */
async function cachingFront(target: string): Promise<string> {
  const cache = new Map<string, { headers: IncomingHttpHeaders; body: Buffer }>();
  const upstream = new URL(target);
  const front = createServer((req, res) => {
    const key = req.url ?? '';
    const cached = req.method === 'GET' && key.startsWith('/v1/compliance/activities') ? cache.get(key) : undefined;
    // A spent budget is answered by the simulator itself (its 429 and retry-after).
    if (cached && sim.rateLimit.remaining() !== 0) {
      // A page from memory saves the simulator's CPU, not the network or the budget: it
      // counts against the rate limit and waits as the simulator would, with this moment's
      // Date and rate-limit headers.
      const headers = { ...cached.headers, ...sim.rateLimit.take(), date: new Date().toUTCString() };
      const delay = sim.latency.delayFor('compliance.activities');
      if (delay > 0) setTimeout(() => res.writeHead(200, headers).end(cached.body), delay);
      else res.writeHead(200, headers).end(cached.body);
      return;
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: key, method: req.method, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const headers = { ...answer.headers };
          delete headers['transfer-encoding'];
          headers['content-length'] = String(body.length);
          if (req.method === 'GET' && key.startsWith('/v1/compliance/activities') && answer.statusCode === 200)
            cache.set(key, { headers, body });
          res.writeHead(answer.statusCode ?? 502, headers).end(body);
        });
      },
    );
    forward.on('error', (err) => res.writeHead(502).end(String(err)));
    req.pipe(forward);
  });
  front.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const { port } = front.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

const stop = () => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
// Commands from bench/ingest.ts between runs, one a line: `latency <ms> <jitter ms>` (the feed's
// latency from now on) and `reset-rate-limit` (a fresh budget window); each answered `ok`.
createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, a, b] = line.trim().split(/\s+/);
  if (cmd === 'latency') {
    const fixedMs = Number(a);
    const jitter = Number(b ?? 0);
    if (fixedMs > 0 || jitter > 0) sim.latency.set(args['latency-op'], { fixedMs, jitterMs: jitter });
    else sim.latency.clear();
  } else if (cmd === 'reset-rate-limit') sim.rateLimit.reset();
  else {
    process.stderr.write(`sim-server: unknown command '${line}'\n`);
    return;
  }
  process.stdout.write('ok\n');
});
