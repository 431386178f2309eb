import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAssist } from '../../src/assist/index.js';
import { factsOf } from '../../src/assist/facts.js';
import { callsOn } from '../../src/assist/store.js';
import { templateSummary, templateTriage } from '../../src/assist/template.js';
import { parsePolicy } from '../../src/config/policy.js';
import { openDatabase } from '../../src/db/client.js';
import { assistCallsDaily, assistReadings } from '../../src/db/schema/index.js';
import type { Db } from '../../src/db/types.js';
import type { Evidence } from '../../src/domain/evidence.js';
import { createLogger } from '../../src/log.js';
import { startAnthropicSim, type AnthropicSim } from '../../src/sim/anthropic/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { eventually } from '../helpers/eventually.js';
import { dormantKeyEvidence, PLANTED_VALUES, plantedEvidence } from '../support/assist-evidence.js';
import { campaignSummaries } from '../../src/review/campaigns/status.js';

/**
 * Summaries and triage through the real SDK against the Anthropic simulator, on the
 * test database (PGlite, or PostgreSQL with TEST_DATABASE_URL): each fallback, the time
 * bound, the cache, the budget across two instances, and the prompt's allow-list.
 */

let sim: AnthropicSim;
let db: TestDatabase;
const NOW = new Date('2026-04-26T09:00:00Z');
const logLines: string[] = [];
const logger = createLogger({
  level: 'debug',
  destination: new Writable({
    write(chunk, _e, cb) {
      logLines.push(String(chunk));
      cb();
    },
  }),
});

beforeAll(async () => {
  sim = await startAnthropicSim({ seed: 11 });
  db = await createTestDatabase();
});
afterAll(async () => {
  await sim?.close();
  await db?.destroy();
});
beforeEach(async () => {
  sim.messages.reset();
  await db.db.delete(assistReadings);
  await db.db.delete(assistCallsDaily);
});

function assist(policy = 'assist:\n  timeout_ms: 5000\n  daily_calls: 50\n', on: Db = db.db) {
  return createAssist({
    config: { provider: 'claude', apiKey: sim.messages.apiKey },
    baseUrl: sim.url,
    db: on,
    logger,
    policy: parsePolicy(policy, 'test-policy.yaml'),
    now: () => NOW,
    campaigns: { summaries: (at, ref) => campaignSummaries(on, at, ref) },
  });
}

const SUMMARY = 'Used daily by the nightly ETL until 2026-03-12, silent since. Created by ivan.petrov, its owner.';
const evidence = dormantKeyEvidence();
const template = templateSummary(factsOf(evidence));

describe('evidence summaries by Claude', () => {
  it('asks once with structured output and returns the text with the model', async () => {
    sim.messages.reply({ json: { summary: SUMMARY } });
    const r = await assist().explain(evidence);
    expect(r).toMatchObject({
      kind: 'summary',
      text: SUMMARY,
      source: 'claude',
      model: 'claude-haiku-4-5',
      fallback: null,
    });
    const [req] = sim.messages.requests();
    expect(req).toMatchObject({
      model: 'claude-haiku-4-5',
      output_config: { format: { type: 'json_schema', schema: { required: ['summary'] } } },
    });
    expect(JSON.stringify(req)).toContain('nightly-etl');
  });

  it('sends only allow-listed fields: no key hint, extra property, free text, earlier reading or secret', async () => {
    sim.messages.reply({ json: { summary: SUMMARY } });
    await assist().explain(plantedEvidence());
    const sent = JSON.stringify(sim.messages.calls[0]!.body);
    for (const v of PLANTED_VALUES) expect(sent).not.toContain(v);
    expect(sent).not.toContain('@example.com');
    expect(sent).not.toMatch(/sk-ant-/);
  });

  it('caches per evidence fingerprint: a second delivery or a second replica never pays again', async () => {
    sim.messages.reply({ json: { summary: SUMMARY } });
    const first = await assist().explain(evidence);
    const again = await assist().explain({ ...evidence, asOf: '2026-04-27T08:30:00.000Z' });
    const otherReplica = await assist().explain(evidence);
    expect(sim.messages.calls).toHaveLength(1);
    expect(again).toEqual(first);
    expect(otherReplica.text).toBe(SUMMARY);
    // Different facts are a different reading.
    await assist().explain(dormantKeyEvidence({ idleDays: 46 }));
    expect(sim.messages.calls).toHaveLength(2);
  });

  it('triages alerts in three lines', async () => {
    const spike = dormantKeyEvidence({
      kind: 'usage_spike',
      thresholds: { factor: 5, baseline_days: 14, min_requests: 1000 },
      anomaly: { firstDay: '2026-04-21', days: 1, peakDay: '2026-04-21', peakRequests: 98000, baselineMean: 1200 },
    });
    sim.messages.reply({
      json: {
        what_happened: 'The nightly-etl key made 98,000 requests on 2026-04-21.',
        why_unusual: 'Its usual day is about 1,200 requests.',
        check_first: 'Ask ivan.petrov whether a backfill ran.',
      },
    });
    const r = await assist().explain(spike);
    expect(r.kind).toBe('triage');
    expect(r.text.split('\n')).toEqual([
      'What happened: The nightly-etl key made 98,000 requests on 2026-04-21.',
      'Why it is unusual: Its usual day is about 1,200 requests.',
      'Check first: Ask ivan.petrov whether a backfill ran.',
    ]);
    expect(JSON.stringify(sim.messages.calls[0]!.body)).toContain('why_unusual');
  });
});

describe('never in the way: the template stands in', () => {
  const cases: Array<[string, () => void, string]> = [
    ['a 429', () => sim.messages.faults.add({ kind: 'rate_limit', retryAfter: 30 }), 'rate_limited'],
    ['a 500', () => sim.messages.faults.add({ kind: 'server_error' }), 'unavailable'],
    ['a 529', () => sim.messages.faults.add({ kind: 'overloaded' }), 'unavailable'],
    ['a malformed body', () => sim.messages.faults.add({ kind: 'malformed' }), 'invalid_output'],
    ['a refusal', () => sim.messages.faults.add({ kind: 'refusal', category: 'cyber' }), 'refused'],
    ['an answer that is not the schema', () => sim.messages.reply({ text: 'Sure! It looks idle.' }), 'invalid_output'],
    [
      'an answer with a link',
      () => sim.messages.reply({ json: { summary: 'Idle since March. Review at https://evil.example now.' } }),
      'invalid_output',
    ],
    [
      'truncation (max_tokens)',
      () => sim.messages.reply({ text: '{"summ', stopReason: 'max_tokens' }),
      'invalid_output',
    ],
  ];
  for (const [what, arrange, reason] of cases) {
    it(`on ${what}: template text, reason ${reason}, nothing cached`, async () => {
      arrange();
      const r = await assist().explain(evidence);
      expect(r).toMatchObject({ source: 'template', model: null, fallback: reason, text: template });
      expect(sim.messages.calls).toHaveLength(1);
      expect(await db.db.select().from(assistReadings)).toHaveLength(0);
    });
  }

  it('on a slow answer: gives up at the bound, aborts the request, and answers with the template', async () => {
    sim.messages.faults.add({ kind: 'slow', delayMs: 60_000 });
    const r = await assist('assist:\n  timeout_ms: 200\n').explain(evidence);
    expect(r).toMatchObject({ source: 'template', fallback: 'timeout', text: template });
    // The request was still unanswered when the template was chosen: the client closed it.
    await eventually(() => sim.messages.calls[0]?.abortedByClient);
    expect(sim.messages.calls[0]?.status).toBeNull();
  });

  it('on a hung connection: the same', async () => {
    sim.messages.faults.add({ kind: 'hang' });
    const r = await assist('assist:\n  timeout_ms: 200\n').explain(evidence);
    expect(r.fallback).toBe('timeout');
    await eventually(() => sim.messages.calls[0]?.abortedByClient);
  });

  it('with assist off: the template, no call, no fallback reason', async () => {
    const off = createAssist({
      config: null,
      baseUrl: sim.url,
      db: db.db,
      campaigns: { summaries: (at, ref) => campaignSummaries(db.db, at, ref) },
      logger,
      policy: parsePolicy('', 'p'),
      now: () => NOW,
    });
    expect(await off.explain(evidence)).toMatchObject({ source: 'template', fallback: null, text: template });
    const spike = dormantKeyEvidence({ kind: 'dormant_resumed', anomaly: { resumedAt: '2026-04-20' } });
    expect((await off.explain(spike)).text).toBe(templateTriage(factsOf(spike)));
    expect(await off.ask({ text: 'which keys are idle?', askedBySlackId: 'U0ADMIN' })).toMatchObject({
      outcome: 'off',
      citations: [],
      model: null,
    });
    expect(sim.messages.calls).toHaveLength(0);
  });
});

describe('the daily budget', () => {
  it('holds across two instances on one database: exactly daily_calls calls, the rest get the template', async () => {
    const policy = 'assist:\n  timeout_ms: 5000\n  daily_calls: 3\n';
    // On PostgreSQL the second instance has its own connection pool, as a replica would.
    const second = db.url ? await openDatabase({ url: db.url, max: 4 }) : undefined;
    const a = assist(policy);
    const b = assist(policy, second?.db ?? db.db);
    const distinct: Evidence[] = Array.from({ length: 8 }, (_, i) => dormantKeyEvidence({ idleDays: 100 + i }));
    const readings = await Promise.all(distinct.map((e, i) => (i % 2 ? a : b).explain(e)));
    expect(readings.filter((r) => r.source === 'claude')).toHaveLength(3);
    expect(readings.filter((r) => r.fallback === 'budget')).toHaveLength(5);
    expect(sim.messages.calls).toHaveLength(3);
    expect(await callsOn(db.db, '2026-04-26')).toBe(3);
    // A cached reading costs nothing, even with the budget spent.
    const cached = readings.findIndex((r) => r.source === 'claude');
    expect((await a.explain(distinct[cached]!)).source).toBe('claude');
    expect(sim.messages.calls).toHaveLength(3);
    await second?.close();
  });

  it('zero calls a day means none are made', async () => {
    const r = await assist('assist:\n  daily_calls: 0\n').explain(evidence);
    expect(r.fallback).toBe('budget');
    expect(sim.messages.calls).toHaveLength(0);
  });
});
