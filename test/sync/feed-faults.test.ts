import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultSpec } from '../../src/sim/anthropic/index.js';
import { seedFeed } from './feed-fixtures.js';
import { snapshot, startRig, type SyncRig } from './helpers.js';

/**
 * Issue 19, item 5: every retryable fault of the activity feed is retried by the client's one
 * retry loop, and the sync ends with exactly the rows of a run without faults. One case per
 * fault kind, each hitting one page in the middle of the catch-up once.
 */
const small = { activityPageSize: 50, activityBatchSize: 100 };
/** Past the probes that find where the history starts, onto the third page of activities. */
const ON_A_PAGE = 9 + 2;

let clean: Record<string, string[]>;
beforeAll(async () => {
  const rig = await startRig();
  seedFeed(rig.sim, { synthetic: 300, days: 2 });
  const r = await rig.service(small).run({ sources: ['activities'] });
  if (r.sources[0]?.status !== 'succeeded')
    throw new Error(`the run without faults failed: ${r.sources[0]?.error?.message}`);
  clean = await snapshot(rig.db.db);
  await rig.close();
});

let rig: SyncRig | undefined;
afterAll(async () => rig?.close());

const FAULTS: Array<[string, Omit<FaultSpec, 'op'>, string]> = [
  ['429 with retry-after', { kind: 'rate_limit', retryAfter: 1 }, 'anthropic_rate_limited'],
  ['500', { kind: 'server_error' }, 'anthropic_unavailable'],
  ['529 overloaded', { kind: 'overloaded' }, 'anthropic_unavailable'],
  [
    '503 with x-should-retry: true',
    { kind: 'api_error', shouldRetry: true, error: { status: 503, message: 'Service unavailable' } },
    'anthropic_unavailable',
  ],
  ['a hung request', { kind: 'hang' }, 'anthropic_timeout'],
  ['a dropped connection', { kind: 'drop' }, 'anthropic_unreachable'],
  ['a body that is not JSON', { kind: 'malformed', malformed: 'invalid_json' }, 'anthropic_malformed_response'],
];

describe('activity feed faults, each retried by the same loop', { timeout: 60_000 }, () => {
  it.each(FAULTS)('%s: retried, and the sync ends with the rows of a run without faults', async (_name, spec, code) => {
    await rig?.close();
    rig = await startRig();
    seedFeed(rig.sim, { synthetic: 300, days: 2 });
    const fault = rig.sim.faults.add({ op: 'compliance.activities', after: ON_A_PAGE, ...spec });
    const r = await rig.service({ ...small, feed: { timeoutMs: 500 } }).run({ sources: ['activities'] });

    expect(r.sources[0]?.status).toBe('succeeded');
    expect(fault.fired).toBe(1);
    // The request after the fault asked for the same page again.
    const calls = rig.sim.calls.byOp('compliance.activities');
    const hit = calls.findIndex((c) => c.fault === spec.kind);
    expect(hit).toBeGreaterThan(0);
    expect(calls[hit + 1]?.query).toEqual(calls[hit]?.query);
    expect(rig.logLines.some((l) => l.includes(`"code":"${code}"`) && l.includes('retrying'))).toBe(true);
    expect(await snapshot(rig.db.db)).toEqual(clean);
  });
});
