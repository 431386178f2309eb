import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, findings, outboxActions, reviewItems } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedKey, seedPerson, type Person } from '../helpers/review-fixtures.js';
import { eventually } from '../helpers/eventually.js';
import { blockText, buttonsOf } from '../helpers/slack-inspect.js';

async function revokeFlow(h: Harness, owner: Person, keyName: string) {
  const keyId = await seedKey(h, keyName, owner);
  const findingId = await seedFinding(
    h,
    evidence('dormant_key', { type: 'api_key', id: keyId, label: keyName }, owner),
  );
  await h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
  const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, findingId));
  const msg = h.slack.state.message(item!.slackChannel!, item!.slackTs!)!;
  await h.slack.driver.clickButton({
    userId: owner.slackId,
    channel: msg.channel,
    ts: msg.ts,
    actionId: 'steward_revoke',
  });
  return { keyId, item: item!, msg };
}

const keyUpdates = (h: Harness, keyId: string) =>
  h.anthropic.calls.all.filter((c) => c.method === 'POST' && c.path === `/v1/organizations/api_keys/${keyId}`);

describe('revocation outbox against the Admin API', () => {
  let h: Harness;
  let bob: Person;
  beforeAll(async () => {
    h = await startHarness();
    bob = await seedPerson(h, 'bob');
  });
  afterAll(async () => h?.stop());

  it('retries an Anthropic 500 and succeeds once, with the same idempotency key', async () => {
    h.anthropic.faults.add({ op: 'POST /v1/organizations/api_keys/{id}', kind: 'server_error', times: 1 });
    const { keyId, item } = await revokeFlow(h, bob, 'flaky-500');
    await eventually(
      async () =>
        (await h.db.db.select().from(outboxActions).where(eq(outboxActions.reviewItemId, item.id)))[0]?.status ===
        'succeeded',
      { timeoutMs: 20_000 },
    );
    const calls = keyUpdates(h, keyId);
    expect(calls.length).toBe(2);
    expect(calls[0]!.status).toBe(500);
    expect(calls[1]!.status).toBe(200);
    expect(new Set(calls.map((c) => c.headers['idempotency-key'])).size).toBe(1);
    expect(h.anthropic.state.apiKeys.get(keyId)?.status).toBe('inactive');
  });

  it('shows Processing… while the Admin API is slow (429 with retry-after), then the result', async () => {
    h.anthropic.faults.add({ op: 'apiKeys.update', kind: 'rate_limit', retryAfter: 2, times: 1 });
    const { keyId, msg } = await revokeFlow(h, bob, 'slow-429');
    await eventually(() => blockText(h.slack.state.message(msg.channel, msg.ts)!.blocks).includes('Processing…'));
    expect(h.anthropic.state.apiKeys.get(keyId)?.status).toBe('active');
    await eventually(
      () => blockText(h.slack.state.message(msg.channel, msg.ts)!.blocks).includes('Done: the key is deactivated'),
      { timeoutMs: 20_000 },
    );
    const calls = keyUpdates(h, keyId);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
  });

  it('a stale button on a closed review changes nothing and says why', async () => {
    const keyId = await seedKey(h, 'stale-button', bob);
    const findingId = await seedFinding(
      h,
      evidence('dormant_key', { type: 'api_key', id: keyId, label: 'stale-button' }, bob),
    );
    await h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
    const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, findingId));
    await h.db.db
      .update(findings)
      .set({ status: 'resolved', resolution: 'no_longer_dormant' })
      .where(eq(findings.id, findingId));
    await h.steward.services.review.followUp();
    await h.slack.driver.clickButton({
      userId: bob.slackId,
      channel: item!.slackChannel!,
      ts: item!.slackTs!,
      actionId: 'steward_revoke',
      value: item!.id,
      force: true,
    });
    await eventually(() =>
      h.slack.state.ephemeralsFor(bob.slackId).some((e) => /No longer needed: it is in use again/.test(e.text)),
    );
    expect(await h.db.db.select().from(outboxActions).where(eq(outboxActions.reviewItemId, item!.id))).toEqual([]);
    expect(keyUpdates(h, keyId)).toEqual([]);
  });

  it('a response lost after the change was applied is retried harmlessly (idempotency key replays)', async () => {
    h.anthropic.faults.add({
      op: 'POST /v1/organizations/api_keys/{id}',
      kind: 'server_error',
      phase: 'after',
      times: 1,
    });
    const { keyId, item } = await revokeFlow(h, bob, 'lost-response');
    await eventually(
      async () =>
        (await h.db.db.select().from(outboxActions).where(eq(outboxActions.reviewItemId, item.id)))[0]?.status ===
        'succeeded',
      { timeoutMs: 20_000 },
    );
    const calls = keyUpdates(h, keyId);
    expect(calls.length).toBe(2);
    expect(calls[1]!.replayed).toBe(true);
  });

  it('a final failure reaches the security channel with Retry; an admin retries it to success', async () => {
    h.anthropic.faults.add({
      op: 'POST /v1/organizations/api_keys/{id}',
      kind: 'server_error',
      shouldRetry: false,
      times: 1,
    });
    const { keyId, item, msg } = await revokeFlow(h, bob, 'refused-once');
    const alert = await eventually(() =>
      h.slack.state
        .history(h.securityChannel)
        .find((m) => /failed for/.test(m.text ?? '') || /failed for/.test(blockText(m.blocks))),
    );
    expect(blockText(alert.blocks)).toContain('refused-once');
    expect(buttonsOf(alert.blocks).map((b) => b.label)).toEqual(['Retry']);
    const dm = h.slack.state.message(msg.channel, msg.ts)!;
    expect(blockText(dm.blocks)).toContain('The Admin API did not accept it');
    expect(h.anthropic.state.apiKeys.get(keyId)?.status).toBe('active');
    const failedAudit = (await h.db.db.select().from(auditLog).where(eq(auditLog.reviewItemId, item.id))).filter(
      (a) => a.action === 'action.executed',
    );
    expect(failedAudit.map((a) => a.outcome)).toEqual(['failed']);

    // A non-admin's Retry is refused; the admin's works.
    await h.slack.driver.clickButton({
      userId: bob.slackId,
      channel: alert.channel,
      ts: alert.ts,
      actionId: 'steward_retry',
    });
    await eventually(() =>
      h.slack.state.ephemeralsFor(bob.slackId).some((e) => /Only Steward admins can retry/.test(e.text)),
    );
    expect(h.anthropic.state.apiKeys.get(keyId)?.status).toBe('active');
    await h.slack.driver.clickButton({
      userId: h.admin.id,
      channel: alert.channel,
      ts: alert.ts,
      actionId: 'steward_retry',
    });
    await eventually(() => h.anthropic.state.apiKeys.get(keyId)?.status === 'inactive');
    await eventually(() =>
      blockText(h.slack.state.message(msg.channel, msg.ts)!.blocks).includes('Done: the key is deactivated'),
    );
    expect(blockText(h.slack.state.message(alert.channel, alert.ts)!.blocks)).toContain('retry requested by');
  });

  it('a malformed action fails once, loudly, and is never retried', async () => {
    const calls = h.anthropic.calls.all.length;
    const [row] = await h.db.db
      .insert(outboxActions)
      .values({
        kind: 'lower_workspace_role',
        targetType: 'workspace_member',
        targetId: 'wrkspc_gone/user_gone',
        params: { role: 'workspace_user' },
        idempotencyKey: 'steward:manual:malformed',
        nextAttemptAt: h.clock.now(),
      })
      .returning();
    const failed = await eventually(async () => {
      const [a] = await h.db.db.select().from(outboxActions).where(eq(outboxActions.id, row!.id));
      return a?.status === 'failed' ? a : undefined;
    });
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/parameter workspaceId is missing/);
    const audit = (await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'action.executed'))).filter(
      (a) => a.subjectId === 'wrkspc_gone/user_gone',
    );
    expect(audit.map((a) => [a.outcome, a.details?.code])).toEqual([['failed', 'action_malformed']]);
    expect(h.anthropic.calls.all.length).toBe(calls);
  });
});

describe('dry run', () => {
  let h: Harness;
  let bob: Person;
  beforeAll(async () => {
    h = await startHarness({ env: { STEWARD_DRY_RUN: 'true' } });
    bob = await seedPerson(h, 'bob');
  });
  afterAll(async () => h?.stop());

  it('records the intended action and calls nothing', async () => {
    const { keyId, item, msg } = await revokeFlow(h, bob, 'dry-key');
    const [action] = await eventually(async () => {
      const rows = await h.db.db.select().from(outboxActions).where(eq(outboxActions.reviewItemId, item.id));
      return rows[0]?.status === 'dry_run' ? rows : undefined;
    });
    expect(action!.result).toMatchObject({ dryRun: true, intended: { kind: 'deactivate_key', target: keyId } });
    expect(keyUpdates(h, keyId)).toEqual([]);
    expect(h.anthropic.state.apiKeys.get(keyId)?.status).toBe('active');
    await eventually(() => blockText(h.slack.state.message(msg.channel, msg.ts)!.blocks).includes('Dry run'));
    const audit = (await h.db.db.select().from(auditLog).where(eq(auditLog.reviewItemId, item.id))).map(
      (a) => `${a.action}:${a.outcome}`,
    );
    expect(audit).toContain('action.executed:dry_run');
  });
});
