/**
 * Interaction benchmark (issue 5): how fast Steward acknowledges button clicks, and how
 * fast it fans review DMs out under Slack's rate limits, with nothing lost.
 *
 *   npx tsx bench/interact.ts                    # Steward on in-memory PGlite
 *   npx tsx bench/interact.ts --db postgres://postgres@127.0.0.1:5432/test
 *                                                # a scratch database created through that URL, dropped after
 *   options: --clicks 50 --rounds 4 --reviews 10000 --phase ack|fanout|both
 *            --limits post|slack|none --post-per-minute 600 --concurrency <deliverPending lanes>
 *            --via driver|sender|both   (who sends the clicks: the simulator's driver, or a process of its own)
 *            --cpu-profile <file prefix>   (V8 profiles of the Steward process, for diagnosis)
 *            --open-only   (fan-out: stop after openReviews(), for diagnosing the opening alone)
 *
 * Layout: the Slack workspace simulator with its signed platform driver, and the
 * Anthropic organisation simulator, run in this process; Steward runs in a child
 * process (bench/interact-steward.ts) started by its composition root, with its real
 * Bolt HTTP receiver on a free port, real WebClient and Anthropic SDK, and its own
 * database; its scheduled jobs get a cron that does not fire during the run. Its event
 * loop serves only Steward, as in production.
 *
 * 1. Ack latency. Each round creates `--clicks` fresh open reviews for as many distinct
 *    people and fires one signed click per review, all at once, through the driver's
 *    clickButton(); the figure is each request's time to its HTTP response (the ack).
 *    Rounds: Revoke (decision, outbox, Admin API call, two message updates), Keep
 *    (views.open of a modal) followed by all the modal submissions, and a last Revoke
 *    round with review.decide() delayed by 1 s, which shows the ack does not wait for
 *    the decision. Before each Revoke round the same clicks go to a bare HTTP server in
 *    the Steward process: the floor this machine allows at that moment. After each round
 *    the bench waits for the slow work to settle and checks that each click produced
 *    exactly one decision: one review.decided audit row, one outbox action, one Admin
 *    API update of the key, the message updated in place, no refusal or error reply.
 * 2. Fan-out. `--reviews` open findings for as many distinct owners (multi-row inserts),
 *    then openAndDeliver() and, for what its per-run cap leaves pending, deliverPending()
 *    again until nothing is pending, against the Slack simulator's rate limits (`post`:
 *    chat.postMessage's rules only; `slack`: every method's; `none`, see limitsFor). Meanwhile a
 *    signed url_verification request every 250 ms shows whether Steward still answers
 *    Slack. Then every owner's DM is checked for exactly one review message.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  POST_MESSAGE_PER_MINUTE,
  signSlackRequest,
  slackLikeRateLimits,
  type DeliveredRequest,
  type DeliveryOptions,
  type RateLimitConfig,
  type RateLimitRule,
} from '../src/sim/slack/index.js';
import { ACTION, INPUT, VIEW } from '../src/slack/ids.js';
import { epochNow, type ItemState, type LogCounts, type LoopDelay, type Timing } from './interact-protocol.js';
import {
  percentile,
  seedKeyFindings,
  seedPeople,
  sleep,
  startSender,
  startStack,
  until,
  type Person,
  type SeededFinding,
  type Sender,
  type Stack,
} from './interact-stack.js';

const { values: args } = parseArgs({
  options: {
    clicks: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '4' },
    reviews: { type: 'string', default: '10000' },
    db: { type: 'string' },
    phase: { type: 'string', default: 'both' },
    limits: { type: 'string', default: 'slack' },
    'post-per-minute': { type: 'string', default: String(POST_MESSAGE_PER_MINUTE) },
    /** Seed the owners' Slack ids into the findings (as before issue 14) instead of leaving the mapping to the run. */
    'known-ids': { type: 'boolean', default: false },
    'open-only': { type: 'boolean', default: false },
    concurrency: { type: 'string' },
    /** driver (default): the simulator's driver sends the clicks; sender: a process of its own; both. */
    via: { type: 'string', default: 'driver' },
    'cpu-profile': { type: 'string' },
  },
});

const CLICKS = Number(args.clicks);
const ROUNDS = Number(args.rounds);
const REVIEWS = Number(args.reviews);
const DB_URL = args.db ?? process.env.DATABASE_URL;
const POST_PER_MINUTE = Number(args['post-per-minute']);
const INJECTED_DELAY_MS = 1000;
const VIAS: Array<'driver' | 'sender'> =
  args.via === 'both' ? ['driver', 'sender'] : args.via === 'sender' ? ['sender'] : ['driver'];

const out = (line = '') => process.stdout.write(`${line}\n`);
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
const problems: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) problems.push(what);
  return ok;
};

// ---------------------------------------------------------------------------------------
// 1. Ack latency
// ---------------------------------------------------------------------------------------

interface Item {
  itemId: string;
  person: Person;
  seeded: SeededFinding;
  channel: string;
  ts: string;
}

/**
 * How a round's requests reach Steward: `driver`, the simulator's platform driver sends
 * them itself (clickButton / submitView); `sender`, the driver builds and signs them but
 * a process that does nothing else sends them.
 */
type Via = 'driver' | 'sender';

interface RoundResult {
  kind: string;
  via: Via | '';
  acks: number[];
  late: number;
  non200: number;
  settleMs: number;
  /** Clicks whose service call (decide / preflight) was still running when the ack arrived. */
  workAfterAck: number;
  /** Service call durations (ms). */
  work: number[];
  /** The same requests timed inside the Steward process (ms). */
  server: number[];
}

interface Answer {
  elapsedMs: number;
  status: number;
  late: boolean;
  /** Submissions through the driver: what Slack would have done with the answer. */
  rejected?: string | undefined;
  view?: unknown;
}

interface Fired {
  item: Item;
  res: Answer;
  /** When the answer arrived (epoch ms). */
  ackAt: number;
}

interface Round {
  s: Stack;
  sender: Sender;
  /** Steward's /slack/events, and a bare server that answers 200 at once. */
  stewardUrl: string;
  nullUrl: string;
}

type Build = (i: Item, opts?: DeliveryOptions) => Promise<Answer & { request: DeliveredRequest }>;

/** All requests at once, one per item. */
async function fire(r: Round, items: Item[], via: Via, build: Build, url?: string): Promise<Fired[]> {
  if (via === 'driver') {
    return Promise.all(
      items.map(async (i) => {
        const res = await build(i, url ? { url } : {});
        return { item: i, res, ackAt: epochNow() };
      }),
    );
  }
  // Built (and recorded in the simulator's state: trigger ids, response URLs, a modal
  // closed by its submission) by the driver against the bare server, then signed afresh
  // and sent by the sender process.
  const built = await Promise.all(items.map((i) => build(i, { url: r.nullUrl })));
  const requests = built.map((b) => ({
    url: url ?? r.stewardUrl,
    headers: { 'content-type': b.request.contentType, ...signSlackRequest(r.s.slack.signingSecret, b.request.rawBody) },
    body: b.request.rawBody,
  }));
  const answers = await r.sender.fire(requests);
  return answers.map((a, k) => ({
    item: items[k]!,
    res: { elapsedMs: a.elapsedMs, status: a.status, late: a.elapsedMs > 3000 || a.status === 0 },
    ackAt: a.receivedAt,
  }));
}

async function prepareRound(s: Stack, people: Person[], tag: string): Promise<Item[]> {
  const seeded = await seedKeyFindings(s, people, tag);
  const r = await s.steward.openAndDeliver({ findingIds: seeded.map((f) => f.findingId) });
  if (r.created !== people.length || r.delivered !== people.length)
    throw new Error(`round ${tag}: opened ${r.created}, delivered ${r.delivered} of ${people.length}`);
  const byFinding = new Map(
    (await s.steward.reviewRows(seeded.map((f) => f.findingId))).map((row) => [row.finding_id, row]),
  );
  return seeded.map((f) => {
    const row = byFinding.get(f.findingId)!;
    return { itemId: row.id, person: f.owner, seeded: f, channel: row.slack_channel, ts: row.slack_ts };
  });
}

async function itemStates(s: Stack, items: Item[]): Promise<Map<string, ItemState>> {
  return new Map((await s.steward.itemStates(items.map((i) => i.itemId))).map((r) => [r.id, r]));
}

const buttonIds = (blocks: unknown): string[] =>
  ((blocks as Array<{ type: string; elements?: Array<{ type: string; action_id?: string }> }>) ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements ?? []).filter((e) => e.type === 'button').map((e) => e.action_id ?? ''));

function summarise(
  kind: string,
  via: Via | '',
  fired: Fired[],
  timings: Record<string, Timing>,
  key: (i: Item) => string,
  settleMs: number,
  server: number[],
): RoundResult {
  const work: number[] = [];
  let workAfterAck = 0;
  for (const f of fired) {
    const t = timings[key(f.item)];
    if (!t) continue;
    work.push(t.end - t.start);
    if (t.end > f.ackAt) workAfterAck++;
  }
  return {
    kind,
    via,
    acks: fired.map((f) => f.res.elapsedMs),
    late: fired.filter((f) => f.res.late).length,
    non200: fired.filter((f) => f.res.status !== 200).length,
    settleMs,
    workAfterAck,
    work,
    server,
  };
}

async function maybeProfiled<T>(s: Stack, label: string | false, fn: () => Promise<T>): Promise<T> {
  const prefix = args['cpu-profile'];
  if (!prefix || !label) return fn();
  await s.steward.profile('start');
  try {
    return await fn();
  } finally {
    const path = `${prefix}.${label}.cpuprofile`;
    await s.steward.profile('stop', path);
    out(`  CPU profile of the Steward process (${label}) written to ${path}`);
  }
}

async function revokeRound(r: Round, people: Person[], tag: string, via: Via, profile = false): Promise<RoundResult> {
  const { s } = r;
  const items = await prepareRound(s, people, tag);
  await s.steward.takeTimings();
  await s.steward.takeServerTimes();
  const ephemeralsBefore = s.slack.state.ephemerals.length;
  const t0 = performance.now();
  const fired = await maybeProfiled(s, profile && tag, () =>
    fire(r, items, via, (i, o) =>
      s.slack.driver.clickButton(
        { userId: i.person.slackId, channel: i.channel, ts: i.ts, actionId: ACTION.revoke },
        o,
      ),
    ),
  );
  // Settled: every review decided, its action executed, the key inactive in the org and the message final.
  await until(`${tag} to settle`, async () => {
    const states = await itemStates(s, items);
    return items.every((i) => {
      const st = states.get(i.itemId);
      const msg = s.slack.state.message(i.channel, i.ts);
      return (
        st?.status === 'decided' &&
        st.action_status === 'succeeded' &&
        s.anthropic.state.apiKeys.get(i.seeded.keyId)?.status === 'inactive' &&
        msg !== undefined &&
        buttonIds(msg.blocks).join() === ACTION.restore
      );
    });
  });
  const settleMs = performance.now() - t0;
  const server = await s.steward.takeServerTimes();
  await sleep(300); // a second decision or a stray reply would show by now
  const states = await itemStates(s, items);
  for (const i of items) {
    const st = states.get(i.itemId)!;
    check(st.decided_rows === 1, `${tag}: ${i.itemId} has ${st.decided_rows} review.decided rows`);
    check(
      st.decision === 'revoke' && st.decided_by === i.person.slackId,
      `${tag}: ${i.itemId} decided ${st.decision} by ${st.decided_by}`,
    );
    check(st.actions === 1, `${tag}: ${i.itemId} has ${st.actions} outbox actions`);
    const updates = s.anthropic.calls.all.filter(
      (c) => c.method === 'POST' && c.path === `/v1/organizations/api_keys/${i.seeded.keyId}` && !c.replayed,
    );
    check(updates.length === 1, `${tag}: key ${i.seeded.keyId} updated ${updates.length} times`);
  }
  check(
    s.slack.state.ephemerals.length === ephemeralsBefore,
    `${tag}: ${s.slack.state.ephemerals.length - ephemeralsBefore} ephemeral replies (refusals or errors)`,
  );
  return summarise('Revoke', via, fired, await s.steward.takeTimings(), (i) => i.itemId, settleMs, server);
}

async function keepRound(r: Round, people: Person[], tag: string, via: Via): Promise<[RoundResult, RoundResult]> {
  const { s } = r;
  const items = await prepareRound(s, people, tag);
  await s.steward.takeTimings();
  await s.steward.takeServerTimes();
  const opensBefore = s.slack.calls.list('views.open').length;
  const t0 = performance.now();
  const fired = await fire(r, items, via, (i, o) =>
    s.slack.driver.clickButton({ userId: i.person.slackId, channel: i.channel, ts: i.ts, actionId: ACTION.keep }, o),
  );
  const modals = await until(`${tag} modals`, () => {
    const m = items.map((i) => s.slack.state.modalStack(i.person.slackId).at(-1));
    return m.every((v) => v?.callback_id === VIEW.keep) ? m : undefined;
  });
  const openSettle = performance.now() - t0;
  const opens = s.slack.calls.list('views.open').slice(opensBefore);
  check(
    opens.length === items.length && opens.every((c) => c.ok),
    `${tag}: ${opens.length} views.open calls, ${opens.filter((c) => !c.ok).length} failed`,
  );
  const clicks = summarise(
    'Keep (opens a modal)',
    via,
    fired,
    await s.steward.takeTimings(),
    (i) => `preflight:${i.itemId}`,
    openSettle,
    await s.steward.takeServerTimes(),
  );

  const t1 = performance.now();
  const submitted = await fire(r, items, via, (i, o) =>
    s.slack.driver.submitView(
      {
        userId: i.person.slackId,
        viewId: modals[items.indexOf(i)]!.id,
        values: { [INPUT.reason.action]: 'The monthly export still uses it', [INPUT.duration.action]: '90' },
      },
      o,
    ),
  );
  // A submission answered after 3 s is one Slack would have shown the user as failed
  // (the modal stays open); it is counted in "> 3 s". Anything else is a failure.
  for (const f of submitted) {
    if (f.res.late) continue;
    check(
      f.res.rejected === undefined && f.res.view === undefined,
      `${tag}: submission for ${f.item.itemId} rejected (${f.res.rejected ?? 'modal still open'})`,
    );
  }
  await until(`${tag} keeps to settle`, async () => {
    const states = await itemStates(s, items);
    return items.every((i) => {
      const msg = s.slack.state.message(i.channel, i.ts);
      return states.get(i.itemId)?.status === 'decided' && msg !== undefined && buttonIds(msg.blocks).length === 0;
    });
  });
  const submitSettle = performance.now() - t1;
  const submitServer = await s.steward.takeServerTimes();
  for (const i of items) s.slack.state.closeModal(i.person.slackId); // what late submissions left open
  await sleep(300);
  const states = await itemStates(s, items);
  for (const i of items) {
    const st = states.get(i.itemId)!;
    check(
      st.decided_rows === 1 && st.decision === 'keep' && st.certs === 1 && st.actions === 0,
      `${tag}: ${i.itemId} ${JSON.stringify(st)}`,
    );
  }
  const submits = summarise(
    'Keep modal submission',
    via,
    submitted,
    await s.steward.takeTimings(),
    (i) => i.itemId,
    submitSettle,
    submitServer,
  );
  return [clicks, submits];
}

/** The floor: the same signed clicks to a bare HTTP server in the Steward process. */
async function floorRound(r: Round, items: Item[], via: Via): Promise<RoundResult> {
  const fired = await fire(
    r,
    items,
    via,
    (i, o) =>
      r.s.slack.driver.clickButton(
        { userId: i.person.slackId, channel: i.channel, ts: i.ts, actionId: ACTION.revoke },
        o,
      ),
    r.nullUrl,
  );
  return summarise('floor: bare HTTP server', via, fired, {}, (i) => i.itemId, NaN, []);
}

interface AckReport {
  driver: string;
  rows: RoundResult[];
  loopDelay: LoopDelay | null;
  driverLoopDelay: LoopDelay;
  logs: LogCounts;
}

function merge(kind: string, via: Via | '', rs: RoundResult[]): RoundResult {
  return {
    kind,
    via,
    acks: rs.flatMap((r) => r.acks),
    late: rs.reduce((n, r) => n + r.late, 0),
    non200: rs.reduce((n, r) => n + r.non200, 0),
    settleMs: Math.max(...rs.map((r) => r.settleMs)),
    workAfterAck: rs.reduce((n, r) => n + r.workAfterAck, 0),
    work: rs.flatMap((r) => r.work),
    server: rs.flatMap((r) => r.server),
  };
}

const sorted = (v: number[]) => [...v].sort((a, b) => a - b);

async function ackPhase(): Promise<AckReport> {
  const s = await startStack({ dbUrl: DB_URL });
  const sender = await startSender(VIAS.includes('sender'));
  try {
    out(`\n== Ack latency: Steward on ${s.driverLabel}; ${CLICKS} concurrent clicks per round ==`);
    const people = await seedPeople(s, 'clicker', CLICKS);
    const r: Round = { s, sender, stewardUrl: s.slack.requestUrl!, nullUrl: await s.steward.startNullServer() };
    const all: RoundResult[] = [];
    // Warm-up (not counted): connections, JIT, caches, one round each way.
    for (const via of VIAS) await revokeRound(r, people, `warmup-${via}`, via);
    const floorItems = await prepareRound(s, people, 'floor');
    out('  warm-up rounds done (not counted)');

    await s.steward.loopDelay('start');
    const driverLoop = monitorEventLoopDelay({ resolution: 5 });
    driverLoop.enable();
    for (let k = 0; k < ROUNDS; k++) {
      for (const via of VIAS) {
        all.push(await floorRound(r, floorItems, via));
        const res = await revokeRound(r, people, `revoke${k + 1}-${via}`, via, k === 0 && via === VIAS[0]);
        all.push(res);
        out(
          `  revoke round ${k + 1} via ${via}: ack p50 ${ms(percentile(sorted(res.acks), 50))} ms, max ${ms(Math.max(...res.acks))} ms; settled in ${ms(res.settleMs)} ms`,
        );
        if (k % 2 === 1 || ROUNDS === 1) {
          const [kc, ks] = await keepRound(r, people, `keep${k + 1}-${via}`, via);
          all.push(kc, ks);
          out(
            `  keep round via ${via}: click ack p50 ${ms(percentile(sorted(kc.acks), 50))} ms, max ${ms(Math.max(...kc.acks))} ms; submission ack max ${ms(Math.max(...ks.acks))} ms`,
          );
        }
      }
    }
    const loopDelay = await s.steward.loopDelay('stop');
    driverLoop.disable();
    const driverLoopDelay = {
      p50: driverLoop.percentile(50) / 1e6,
      p99: driverLoop.percentile(99) / 1e6,
      max: driverLoop.max / 1e6,
    };

    await s.steward.setDecideDelay(INJECTED_DELAY_MS);
    const isolation = await revokeRound(r, people, 'isolation', VIAS[0]!, true);
    await s.steward.setDecideDelay(0);
    out(
      `  isolation round (decide() delayed ${INJECTED_DELAY_MS} ms): ack p50 ${ms(percentile(sorted(isolation.acks), 50))} ms, max ${ms(Math.max(...isolation.acks))} ms`,
    );

    const rows: RoundResult[] = [];
    for (const kind of ['floor: bare HTTP server', 'Revoke', 'Keep (opens a modal)', 'Keep modal submission']) {
      for (const via of VIAS)
        rows.push(
          merge(
            kind,
            via,
            all.filter((x) => x.kind === kind && x.via === via),
          ),
        );
    }
    for (const via of VIAS)
      rows.push(
        merge(
          'all button clicks',
          via,
          all.filter((x) => x.via === via && (x.kind === 'Revoke' || x.kind === 'Keep (opens a modal)')),
        ),
      );
    rows.push({ ...isolation, kind: `Revoke, decide() +${INJECTED_DELAY_MS} ms` });
    return { driver: s.driverLabel, rows, loopDelay, driverLoopDelay, logs: await s.steward.logs() };
  } finally {
    sender.stop();
    await s.stop();
  }
}

function printAck(r: AckReport): void {
  out(
    `\nAck latency, Steward on ${r.driver}: time from sending a signed request to its HTTP response (ms), ${CLICKS} at once per round`,
  );
  const head = [
    'request',
    'via',
    'n',
    'p50',
    'p95',
    'p99',
    'max',
    '> 3 s',
    'non-200',
    'in-server p50 / p99',
    'work after ack',
    'work p50',
    'slowest settle',
  ];
  const lines = r.rows.map((x) => {
    const a = sorted(x.acks);
    const w = sorted(x.work);
    const sv = sorted(x.server);
    return [
      x.kind,
      x.via,
      String(a.length),
      ms(percentile(a, 50)),
      ms(percentile(a, 95)),
      ms(percentile(a, 99)),
      ms(a.at(-1) ?? NaN),
      String(x.late),
      String(x.non200),
      sv.length ? `${ms(percentile(sv, 50))} / ${ms(percentile(sv, 99))}` : '-',
      w.length ? `${x.workAfterAck}/${w.length}` : '-',
      ms(percentile(w, 50)),
      ms(x.settleMs),
    ];
  });
  table(head, lines);
  if (r.loopDelay)
    out(
      `Steward's event-loop delay during the counted rounds: p50 ${ms(r.loopDelay.p50)} ms, p99 ${ms(r.loopDelay.p99)} ms, max ${ms(r.loopDelay.max)} ms`,
    );
  out(
    `the driver's (and simulators') event-loop delay meanwhile: p50 ${ms(r.driverLoopDelay.p50)} ms, p99 ${ms(r.driverLoopDelay.p99)} ms, max ${ms(r.driverLoopDelay.max)} ms`,
  );
  out(
    "via driver: sent by the Slack simulator's driver, in the process that also serves the Web API calls Steward makes after each ack;",
  );
  out(
    'via sender: built and signed by the driver, sent by a process that does nothing else. floor: the same clicks to a bare node:http server in the Steward process.',
  );
  out(
    'in-server: the same requests timed inside the Steward process, from the parsed request headers to the written response (queueing before that excluded);',
  );
  out(
    'work after ack: clicks whose review.decide() (Revoke, submission) or review.preflight() (Keep) was still running when the ack arrived;',
  );
  out(
    "work p50: that call's median duration; slowest settle: the slowest round, from the first click to every decision executed and every message final.",
  );
}

// ---------------------------------------------------------------------------------------
// 2. Fan-out
// ---------------------------------------------------------------------------------------

function limitsFor(mode: string): { config: RateLimitConfig; describe: string } {
  const preset = slackLikeRateLimits({ postMessagePerMinute: POST_PER_MINUTE });
  const rules = (m: string) => ([] as RateLimitRule[]).concat(preset[m] ?? []);
  const fmt = (m: string) =>
    rules(m)
      .map(
        (r) =>
          `${r.limit}/${r.windowMs / 1000} s (burst ${r.burst ?? r.limit})${r.scope === 'channel' ? ' per channel' : ' per workspace'}`,
      )
      .join(' + ');
  if (mode === 'none') return { config: {}, describe: 'none (no rate limit on any method)' };
  if (mode === 'slack') {
    return {
      config: preset,
      describe: `slackLikeRateLimits({ postMessagePerMinute: ${POST_PER_MINUTE} }), every method: chat.postMessage ${fmt('chat.postMessage')}; conversations.open ${fmt('conversations.open')}; chat.update ${fmt('chat.update')}; …`,
    };
  }
  return {
    config: { 'chat.postMessage': preset['chat.postMessage']! },
    describe: `chat.postMessage ${fmt('chat.postMessage')} (the rules of slackLikeRateLimits({ postMessagePerMinute: ${POST_PER_MINUTE} })); other methods unlimited`,
  };
}

interface FanoutReport {
  driver: string;
  limits: string;
  knownIds: boolean;
  /** chat.postMessage's workspace-wide rule in force (the sim's), or null when unlimited. */
  postLimit: { perSecond: number; burst: number } | null;
  reviews: number;
  seedMs: number;
  first: { result: Record<string, number>; ms: number; openMs: number };
  passes: Array<{ delivered: number; rerouted: number; failed: number; ms: number; clockAdvancedMs: number }>;
  totalMs: number;
  postingMs: number;
  calls: Record<string, { total: number; limited: number }>;
  lost: number;
  duplicated: number;
  db: { open: number; pending: number; audited: number };
  logs: LogCounts;
  rssMb: number;
  loopDelay: LoopDelay | null;
  probes: Record<
    'open' | 'delivery',
    { n: number; p50: number; p99: number; max: number; late: number; failed: number }
  >;
}

async function fanoutPhase(): Promise<FanoutReport | null> {
  const s = await startStack({ dbUrl: DB_URL });
  try {
    const { config, describe } = limitsFor(args.limits);
    out(`\n== Fan-out: Steward on ${s.driverLabel}; ${REVIEWS} reviews; limits: ${describe} ==`);
    const t0 = performance.now();
    const owners = await seedPeople(s, 'owner', REVIEWS, { inAnthropicSim: false });
    const seeded = await seedKeyFindings(s, owners, 'fan', {
      inAnthropicSim: false,
      slackIdUnknown: !args['known-ids'],
    });
    const seedMs = performance.now() - t0;
    out(
      `  seeded ${owners.length} owners (Slack users, directory rows) and ${seeded.length} findings (owners' Slack ids ${args['known-ids'] ? 'in the evidence' : 'unknown: email only'}) in ${ms(seedMs / 1000)} s`,
    );

    // Exactly the chosen limits: the stack starts with none (interact-stack.ts).
    s.slack.rateLimits.replace(config);
    s.slack.calls.clear();
    const opts = args.concurrency ? { concurrency: Number(args.concurrency) } : {};
    // A signed url_verification request every 250 ms through Bolt's receiver: how
    // responsive Steward stays to Slack while it opens and sends the reviews.
    const probes: Array<{ at: number; ms: number; late: boolean; failed: boolean }> = [];
    let probing = true;
    const probeLoop = (async () => {
      while (probing) {
        const at = Date.now();
        try {
          const r = await s.slack.driver.urlVerification();
          probes.push({ at, ms: r.elapsedMs, late: r.late || r.status !== 200, failed: r.status !== 200 });
        } catch {
          // A connection Steward closed under the request (keep-alive race): Slack would retry.
          probes.push({ at, ms: Date.now() - at, late: false, failed: true });
        }
        await sleep(250);
      }
    })();
    await s.steward.loopDelay('start');
    await s.steward.takeServerTimes();
    const start = performance.now();
    const wallStart = Date.now();
    // openAndDeliver() is openReviews() then deliverPending(); called apart so the opening
    // can be profiled (--cpu-profile) or measured alone (--open-only).
    const opened = await maybeProfiled(s, 'open', () => s.steward.openReviews({}));
    const openOnlyMs = performance.now() - start;
    if (args['open-only']) {
      probing = false;
      await probeLoop;
      const v = sorted(probes.map((p) => p.ms));
      const loop = await s.steward.loopDelay('stop');
      out(`  openReviews(): ${JSON.stringify(opened)} in ${ms(openOnlyMs / 1000)} s (--open-only: nothing delivered)`);
      out(
        `  probes while openReviews() ran: n ${v.length}, p50 ${ms(percentile(v, 50))} ms, p99 ${ms(percentile(v, 99))} ms, max ${ms(v.at(-1) ?? NaN)} ms; event-loop delay p99 ${ms(loop?.p99 ?? NaN)} ms, max ${ms(loop?.max ?? NaN)} ms`,
      );
      return null;
    }
    const first = { ...opened, ...(await s.steward.deliverPending({})) };
    const firstMs = performance.now() - start;
    out(`  openAndDeliver(): ${JSON.stringify(first)} in ${ms(firstMs / 1000)} s`);
    const passes: FanoutReport['passes'] = [];
    for (let pass = 0; pass < 200; pass++) {
      const p = await s.steward.pendingSummary();
      if (p.n === 0) break;
      // A review whose delivery failed waits out a back-off lease before a later run
      // retries it. Move Steward's clock (not the simulator's) past it instead of waiting.
      let advanced = 0;
      const next = p.next ? Date.parse(p.next) : NaN;
      const now = await s.steward.now();
      if (Number.isFinite(next) && next > now) {
        advanced = next - now + 1000;
        await s.steward.advanceClock(advanced);
      }
      const t = performance.now();
      const r = await s.steward.deliverPending(opts);
      passes.push({ ...r, ms: performance.now() - t, clockAdvancedMs: advanced });
      out(
        `  deliverPending() #${pass + 1}: ${JSON.stringify(r)} in ${ms((performance.now() - t) / 1000)} s${advanced ? ` (after moving Steward's clock ${Math.round(advanced / 1000)} s past the retry back-off)` : ''}`,
      );
    }
    const totalMs = performance.now() - start;
    probing = false;
    await probeLoop;
    const loopDelay = await s.steward.loopDelay('stop');
    const probeServer = await s.steward.takeServerTimes();
    out(
      `  probes timed inside Steward: first ${probeServer.slice(0, 3).map(ms).join(', ')} ms; max ${ms(Math.max(...probeServer))} ms`,
    );
    const posts = s.slack.calls.list('chat.postMessage').filter((c) => c.ok);
    const postingMs = posts.length > 1 ? posts.at(-1)!.time - posts[0]!.time : NaN;
    // openReviews() (owners mapped to Slack, review rows written) runs before the first
    // delivery: the first chat.postMessage marks its end.
    const firstCall = s.slack.calls.list().find((c) => c.method === 'chat.postMessage');
    const openMs = firstCall ? firstCall.time - wallStart : NaN;
    const openEnd = firstCall?.time ?? Infinity;
    const probeStats = (list: typeof probes) => {
      const v = sorted(list.map((p) => p.ms));
      return {
        n: v.length,
        p50: percentile(v, 50),
        p99: percentile(v, 99),
        max: v.at(-1) ?? NaN,
        late: list.filter((p) => p.late).length,
        failed: list.filter((p) => p.failed).length,
      };
    };
    const probeReport = {
      open: probeStats(probes.filter((p) => p.at < openEnd)),
      delivery: probeStats(probes.filter((p) => p.at >= openEnd)),
    };

    const calls: FanoutReport['calls'] = {};
    for (const c of s.slack.calls.list()) {
      const e = (calls[c.method] ??= { total: 0, limited: 0 });
      e.total++;
      if (c.rateLimited) e.limited++;
    }
    // Every owner: exactly one review message from the bot in their DM.
    let lost = 0;
    let duplicated = 0;
    for (const f of seeded) {
      const dm = s.slack.state.dmWith(f.owner.slackId);
      const mine = dm ? s.slack.state.history(dm.id).filter((m) => m.bot_id && m.text.includes(f.keyName)) : [];
      if (mine.length === 0) lost++;
      if (mine.length > 1) duplicated++;
    }
    const db = await s.steward.deliveryCheck();
    check(lost === 0 && duplicated === 0, `fan-out: ${lost} owners without their DM, ${duplicated} with more than one`);
    check(
      db.open === REVIEWS && db.pending === 0 && db.audited === REVIEWS,
      `fan-out: ${db.open} open, ${db.pending} pending, ${db.audited} review.delivered rows`,
    );
    const mem = await s.steward.memory();
    const workspaceRule = ([] as RateLimitRule[])
      .concat(config['chat.postMessage'] ?? [])
      .find((r) => r.scope !== 'channel');
    return {
      driver: s.driverLabel,
      limits: describe,
      knownIds: Boolean(args['known-ids']),
      postLimit: workspaceRule
        ? {
            perSecond: (workspaceRule.limit * 1000) / workspaceRule.windowMs,
            burst: workspaceRule.burst ?? workspaceRule.limit,
          }
        : null,
      reviews: REVIEWS,
      seedMs,
      first: { result: first, ms: firstMs, openMs },
      passes,
      totalMs,
      postingMs,
      calls,
      lost,
      duplicated,
      db,
      logs: await s.steward.logs(),
      rssMb: mem.rss / 1e6,
      loopDelay,
      probes: probeReport,
    };
  } finally {
    await s.stop();
  }
}

function printFanout(r: FanoutReport): void {
  out(`\nDM fan-out, Steward on ${r.driver}; limits: ${r.limits}`);
  const delivered =
    (r.first.result.delivered ?? 0) +
    (r.first.result.rerouted ?? 0) +
    r.passes.reduce((n, p) => n + p.delivered + p.rerouted, 0);
  const failed = (r.first.result.failed ?? 0) + r.passes.reduce((n, p) => n + p.failed, 0);
  const limited = Object.values(r.calls).reduce((n, c) => n + c.limited, 0);
  table(
    [
      'reviews',
      'runs',
      'total s',
      'reviews/s',
      'open s',
      'posting s',
      'posts/s',
      '429s',
      'failed attempts',
      'lost',
      'duplicated',
    ],
    [
      [
        String(r.reviews),
        `1 + ${r.passes.length}`,
        ms(r.totalMs / 1000),
        ms(r.reviews / (r.totalMs / 1000)),
        ms(r.first.openMs / 1000),
        ms(r.postingMs / 1000),
        ms(delivered / (r.postingMs / 1000)),
        String(limited),
        String(failed),
        String(r.lost),
        String(r.duplicated),
      ],
    ],
  );
  out(
    `Slack calls: ${Object.entries(r.calls)
      .map(([m, c]) => `${m} ${c.total} (${c.limited} answered 429)`)
      .join(', ')}`,
  );
  out(
    `openAndDeliver(): ${JSON.stringify(r.first.result)} in ${ms(r.first.ms / 1000)} s; then ${r.passes.length} × deliverPending(): ${r.passes.map((p) => `${p.delivered}${p.failed ? ` (+${p.failed} failed)` : ''} in ${ms(p.ms / 1000)} s`).join(', ')}`,
  );
  out(
    `database after: ${r.db.open} reviews open with their message, ${r.db.pending} pending, ${r.db.audited} review.delivered audit rows; Steward RSS ${ms(r.rssMb)} MB`,
  );
  out(
    `reviews/s: all reviews over the whole time (open + every delivery run); open s: openReviews() (owners mapped, review rows written), until the first chat.postMessage;`,
  );
  out(`posts/s: messages delivered between the first and the last successful chat.postMessage.`);
  out(
    `owners' Slack ids: ${r.knownIds ? 'seeded in the evidence' : 'unknown before the run (mapped from emails during it)'}`,
  );
  if (r.postLimit) {
    const secs = r.totalMs / 1000;
    const perSec = r.reviews / secs;
    const allowance = r.postLimit.burst + r.postLimit.perSecond * secs;
    out(
      `RATIO: ${ms(perSec)} reviews/s ÷ chat.postMessage workspace limit in force ${r.postLimit.perSecond}/s = ${(perSec / r.postLimit.perSecond).toFixed(3)}; ` +
        `reviews ÷ what the limit allowed in that time (burst ${r.postLimit.burst} + ${r.postLimit.perSecond}/s × ${ms(secs)} s = ${Math.floor(allowance)}) = ${(r.reviews / allowance).toFixed(3)}`,
    );
  }
  for (const [phase, p] of Object.entries(r.probes)) {
    out(
      `signed url_verification probes through the receiver while ${phase === 'open' ? 'openReviews() ran' : 'reviews were sent'}: n ${p.n}, p50 ${ms(p.p50)} ms, p99 ${ms(p.p99)} ms, max ${ms(p.max)} ms, ${p.late} later than 3 s, ${p.failed} failed`,
    );
  }
  if (r.loopDelay)
    out(
      `Steward's event-loop delay during the fan-out: p50 ${ms(r.loopDelay.p50)} ms, p99 ${ms(r.loopDelay.p99)} ms, max ${ms(r.loopDelay.max)} ms`,
    );
  out(`Steward log lines: ${JSON.stringify(r.logs.byLevel)}`);
}

// ---------------------------------------------------------------------------------------

function table(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  out(line(head));
  out(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of rows) out(line(r));
}

const phase = args.phase;
let ack: AckReport | undefined;
let fan: FanoutReport | null | undefined;
if (phase === 'ack' || phase === 'both') ack = await ackPhase();
if (phase === 'fanout' || phase === 'both') fan = await fanoutPhase();
out('\n================ results ================');
if (ack) printAck(ack);
if (fan) printFanout(fan);
const warnings = [...(ack?.logs.problems ?? []), ...(fan?.logs.problems ?? [])];
if (warnings.length) {
  out('\nSteward warnings (first few):');
  for (const l of warnings.slice(0, 6)) out(`  ${l.trim()}`);
}
if (problems.length) {
  out(`\nCHECKS FAILED (${problems.length}):`);
  for (const p of problems.slice(0, 30)) out(`  ${p}`);
  process.exitCode = 1;
} else {
  out(
    `\nAll checks passed${ack ? ': one decision per click' : ''}${fan ? `${ack ? ',' : ':'} one DM per owner, none lost, none duplicated` : ''}.`,
  );
}
