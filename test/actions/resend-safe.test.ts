import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, outboxActions, reviewItems } from '../../src/db/schema/index.js';
import type { FaultSpec } from '../../src/sim/anthropic/index.js';
import { eventually } from '../helpers/eventually.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedKey, seedPerson, type Person } from '../helpers/review-fixtures.js';
import { blockText } from '../helpers/slack-inspect.js';

/**
 * Issue 13 item 2: Admin API errors documented as safe to send again are resent under the same
 * idempotency key with backoff for as long as they come — past the attempt budget that ends
 * other retryable failures — and never recorded as a permanent failure. Through the real SDK
 * against the simulator; the test clock is moved past each backoff instead of waiting it out.
 */
const ATTEMPTS_BUDGET = 6; // the outbox's maxAttempts for other retryable errors

describe('Admin API errors that are safe to resend', () => {
  let h: Harness;
  let owner: Person;
  beforeAll(async () => {
    h = await startHarness();
    owner = await seedPerson(h, 'rita');
  });
  afterAll(async () => h?.stop());

  async function revoke(keyName: string) {
    const keyId = await seedKey(h, keyName, owner);
    const findingId = await seedFinding(
      h,
      evidence('dormant_key', { type: 'api_key', id: keyId, label: keyName }, owner),
    );
    await h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
    const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, findingId));
    await h.slack.driver.clickButton({
      userId: owner.slackId,
      channel: item!.slackChannel!,
      ts: item!.slackTs!,
      actionId: 'steward_revoke',
    });
    return { keyId, findingId, item: item! };
  }

  const actionOf = async (itemId: string) =>
    (await h.db.db.select().from(outboxActions).where(eq(outboxActions.reviewItemId, itemId)))[0];

  /** Lets each refused attempt's backoff pass on the test clock until the action lands. */
  async function driveUntilDone(itemId: string, refusals: number, channel: string, ts: string, hint: RegExp) {
    for (let n = 1; n <= refusals; n++) {
      const waiting = await eventually(
        async () => {
          const a = await actionOf(itemId);
          return a?.attempts === n && a.status === 'pending' ? a : undefined;
        },
        { timeoutMs: 30_000, what: `attempt ${n} to be refused and queued again` },
      );
      expect(waiting.lastError).toMatch(hint);
      // Visible while it waits: the review message says it is still being processed, and why.
      await eventually(() =>
        blockText(h.slack.state.message(channel, ts)!.blocks).includes(`Processing… (attempt ${n};`),
      );
      h.clock.set(new Date(waiting.nextAttemptAt.getTime() + 1000));
      h.steward.services.outbox.wake();
    }
    return eventually(
      async () => {
        const a = await actionOf(itemId);
        return a?.status === 'succeeded' ? a : undefined;
      },
      { timeoutMs: 30_000 },
    );
  }

  it('a Revoke answered api_key_requester_unconfirmed, past the attempt budget, ends with the key inactive: one change, one decision, its audit rows', async () => {
    const refusals = ATTEMPTS_BUDGET + 2;
    h.anthropic.faults.add({ op: 'apiKeys.update', kind: 'api_key_requester_unconfirmed', times: refusals });
    const { keyId, item } = await revoke('unconfirmed-ci');
    const done = await driveUntilDone(item.id, refusals, item.slackChannel!, item.slackTs!, /safe to send again/);

    expect(done.attempts).toBe(refusals + 1);
    expect(h.anthropic.state.apiKeys.get(keyId)?.status).toBe('inactive');
    const calls = h.anthropic.calls.byOp('apiKeys.update').filter((c) => c.path.endsWith(keyId));
    expect(calls.map((c) => c.status)).toEqual([...Array<number>(refusals).fill(403), 200]);
    expect(new Set(calls.map((c) => c.headers['idempotency-key']))).toEqual(new Set([done.idempotencyKey]));
    expect(calls.filter((c) => c.status === 200 && !c.replayed)).toHaveLength(1);

    const decided = await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, item.id));
    expect(decided.map((i) => [i.status, i.decision])).toEqual([['decided', 'revoke']]);
    const audit = await h.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.reviewItemId, item.id)))
      // In the order they were written: without it PostgreSQL may return them in any order.
      .orderBy(asc(auditLog.seq));
    expect(audit.filter((a) => a.action === 'review.decided')).toHaveLength(1);
    const executed = audit.filter((a) => a.action === 'action.executed');
    expect(executed.map((a) => a.outcome)).toEqual([...Array<string>(refusals).fill('retrying'), 'succeeded']);
    expect(executed.slice(0, -1).every((a) => (a.details as { resendSafe?: boolean }).resendSafe === true)).toBe(true);
    // Never a failure: nothing told the security channel it failed.
    expect(h.slack.state.history(h.securityChannel).some((m) => /unconfirmed-ci/.test(blockText(m.blocks)))).toBe(
      false,
    );
    await eventually(() =>
      blockText(h.slack.state.message(item.slackChannel!, item.slackTs!)!.blocks).includes(
        'Done: the key is deactivated',
      ),
    );
  });

  // The SDK resends 409 and 5xx itself first (4 retries; retry-after-ms keeps them quick), so each
  // outbox attempt is five refused calls; the fault outlasts the outbox's attempt budget too.
  it.each<[string, Omit<FaultSpec, 'op'>, RegExp]>([
    ['409 concurrent_membership_change', { kind: 'concurrent_membership_change' }, /Another change/],
    ['503 change_outcome_unknown', { kind: 'change_outcome_unknown' }, /sending it again finishes it/],
  ])('%s, however often it comes, is resent until it lands and never failed', async (_name, spec, hint) => {
    const refusedAttempts = ATTEMPTS_BUDGET + 1;
    const fault = h.anthropic.faults.add({
      op: 'apiKeys.update',
      retryAfterMs: 1,
      times: refusedAttempts * 5,
      ...spec,
    });
    const { keyId, item } = await revoke(`busy-${spec.kind}`);
    const done = await driveUntilDone(item.id, refusedAttempts, item.slackChannel!, item.slackTs!, hint);
    expect(fault.fired).toBe(refusedAttempts * 5);
    expect(done.attempts).toBe(refusedAttempts + 1);
    expect(h.anthropic.state.apiKeys.get(keyId)?.status).toBe('inactive');
    const calls = h.anthropic.calls.byOp('apiKeys.update').filter((c) => c.path.endsWith(keyId));
    expect(calls.filter((c) => c.status === 200 && !c.replayed)).toHaveLength(1);
    const outcomes = (
      await h.db.db.select().from(auditLog).where(eq(auditLog.reviewItemId, item.id)).orderBy(asc(auditLog.seq))
    )
      .filter((a) => a.action === 'action.executed')
      .map((a) => a.outcome);
    expect(outcomes).toEqual([...Array<string>(refusedAttempts).fill('retrying'), 'succeeded']);
  });
});
