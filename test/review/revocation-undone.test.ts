import Anthropic from '@anthropic-ai/sdk';
import { and, eq, sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, findings, outboxActions, reviewItems } from '../../src/db/schema/index.js';
import { eventually } from '../helpers/eventually.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedKey, seedPerson, type Person } from '../helpers/review-fixtures.js';
import { blockText, channelMessages } from '../helpers/slack-inspect.js';

/**
 * Issue 13 item 5, second half, end to end: Rita revokes a dormant key in Slack, the outbox turns
 * it off through the SDK; someone else (another Admin API key of the organisation) sets it back to
 * active. The sync reads the feed's `platform_api_key_updated` activity and correlation raises
 * `revocation_undone`: one alert in the security channel naming the decision it undid (who, when,
 * which review), audited, and never raised again on later runs. A key Steward restored itself
 * (Restore) raises nothing, nor does Steward's own credential.
 */
describe('a revocation undone by someone else', () => {
  let h: Harness;
  let rita: Person;
  beforeAll(async () => {
    h = await startHarness();
    rita = await seedPerson(h, 'rita');
  });
  afterAll(async () => h?.stop());

  const minutesLater = (n: number) => h.clock.set(new Date(h.clock.now().getTime() + n * 60_000));

  async function revoke(keyName: string) {
    const keyId = await seedKey(h, keyName, rita);
    const findingId = await seedFinding(
      h,
      evidence('dormant_key', { type: 'api_key', id: keyId, label: keyName }, rita),
    );
    await h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
    const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, findingId));
    await h.slack.driver.clickButton({
      userId: rita.slackId,
      channel: item!.slackChannel!,
      ts: item!.slackTs!,
      actionId: 'steward_revoke',
    });
    await eventually(
      async () => {
        const [a] = await h.db.db.select().from(outboxActions).where(eq(outboxActions.reviewItemId, item!.id));
        return a?.status === 'succeeded' ? a : undefined;
      },
      { timeoutMs: 30_000, what: 'the deactivation to succeed' },
    );
    expect(h.anthropic.state.apiKey(keyId)?.status).toBe('inactive');
    return { keyId, item: item! };
  }

  /** A sync and a correlation run, as the scheduler would, once the feed has indexed what happened. */
  async function syncAndCorrelate() {
    minutesLater(10);
    expect(await h.steward.runJob('sync')).toMatchObject({ status: 'succeeded' });
    expect(await h.steward.runJob('correlate')).toMatchObject({ status: 'succeeded' });
  }

  const undone = () => h.db.db.select().from(findings).where(eq(findings.kind, 'revocation_undone'));
  const alerts = () =>
    channelMessages(h.slack, h.securityChannel).filter((m) =>
      blockText(m.blocks).includes('a revoked key is active again'),
    );

  it('alerts the security channel once, naming the decision it undid, and audits it', async () => {
    const { keyId, item } = await revoke('ci-deploy');
    minutesLater(5);
    const script = h.anthropic.addAdminKey();
    const other = new Anthropic({ apiKey: script.key, baseURL: h.anthropic.url, maxRetries: 0 });
    await other.organization.apiKeys.update(keyId, { status: 'active' });
    expect(h.anthropic.state.apiKey(keyId)?.status).toBe('active');

    await syncAndCorrelate();
    const [f] = await undone();
    expect(f).toMatchObject({ subjectType: 'api_key', subjectId: keyId, status: 'open' });
    const anomaly = (f!.evidence as { anomaly: Record<string, unknown> }).anomaly;
    expect(anomaly).toMatchObject({
      reactivatedBy: { type: 'admin_api_key_actor', id: script.id },
      previousStatus: 'inactive',
      undid: { reviewId: item.id, decision: 'revoke', decidedBySlackId: rita.slackId, reviewKind: 'dormant_key' },
    });

    const [alert] = await eventually(() => (alerts().length ? alerts() : undefined), { what: 'the alert' });
    const text = blockText(alert!.blocks);
    expect(text).toContain(`admin API key ${script.id}`);
    expect(text).toContain(`the Revoke decided by Slack user ${rita.slackId}`);
    expect(text).toContain(`(review ${item.id}, dormant_key)`);
    expect(text).toContain(`Undid:* Revoke by <@${rita.slackId}> on`);
    expect(text).toContain(`(review \`${item.id}\`)`);
    expect(text).toContain('What happened:* “ci-deploy” was set back to active on');

    // Audited: the correlation run that raised it, and the alert's review opened from it.
    const runs = await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'correlate.completed'));
    expect(runs.some((r) => JSON.stringify(r.details).includes(f!.fingerprint))).toBe(true);
    const [review] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, f!.id));
    expect(review).toMatchObject({ kind: 'revocation_undone', route: 'security_channel' });
    expect(
      await h.db.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.reviewItemId, review!.id))),
    ).not.toEqual([]);

    // Once: later syncs read the same activity again and raise nothing new.
    await syncAndCorrelate();
    await syncAndCorrelate();
    expect(await undone()).toHaveLength(1);
    expect(await h.db.db.select().from(reviewItems).where(eq(reviewItems.kind, 'revocation_undone'))).toHaveLength(1);
    expect(alerts()).toHaveLength(1);
  });

  it('raises nothing for a key Steward restored itself, nor for Steward’s own credential', async () => {
    const before = (await undone()).length;
    const restored = await revoke('restored-key');
    await h.steward.services.review.restore({ itemId: restored.item.id, actorSlackId: rita.slackId });
    await eventually(() => (h.anthropic.state.apiKey(restored.keyId)?.status === 'active' ? true : undefined), {
      what: 'the Restore to reach the API',
    });

    const own = await revoke('steward-own');
    minutesLater(5);
    // The same Admin key Steward uses (an operator's script reusing it): Steward's credential.
    const same = new Anthropic({ apiKey: h.anthropic.config.adminKey, baseURL: h.anthropic.url, maxRetries: 0 });
    await same.organization.apiKeys.update(own.keyId, { status: 'active' });

    await syncAndCorrelate();
    // The feed holds both keys' changes back to active (so the rule saw them), and neither is an undoing.
    const reactivated = await queryRows<{ key: string }>(
      h.db.db,
      sql`select raw->>'api_key_id' as key from activity_events
          where type = 'platform_api_key_updated' and raw->'updates' @> '[{"type": "status", "current_value": "active"}]'::jsonb`,
    );
    expect(reactivated.map((r) => r.key)).toEqual(expect.arrayContaining([restored.keyId, own.keyId]));
    expect((await undone()).length).toBe(before);
  });
});
