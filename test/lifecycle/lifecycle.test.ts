import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { exportAuditToBuffer } from '../../src/audit/export.js';
import { queryRows } from '../../src/db/client.js';
import { attestations, auditLog, findings, reviewItems } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { eventually } from '../helpers/eventually.js';
import { blockText, buttonsOf, channelMessages, dmMessages } from '../helpers/slack-inspect.js';

interface Person {
  name: string;
  email: string;
  userId: string;
  slackId: string;
}

/**
 * Issue 20's "done when", end to end through the simulators, the real Bolt receiver
 * (signed requests), WebClient and SDK: a key created in the Anthropic simulator is
 * attested through the modal and its purpose shows in a later dormant-key DM and in the
 * export; an unanswered one becomes `unattested_access`; a Slack user deactivated in the
 * Slack simulator raises a `leaver` alert within one sync and, under `leaver: revoke`,
 * their key is deactivated once and the security channel and the key's owner are told.
 */
describe('lifecycle: attestation at creation, leavers, the subject told', () => {
  let h: Harness;
  let bob: Person;
  let carol: Person;
  let dave: Person;
  let mallory: Person;
  const keys: Record<string, string> = {};

  const person = (name: string): Person => {
    const email = `${name}@example.com`;
    const u = h.anthropic.state.addUser({ email, name, role: 'user' as never });
    const s = h.slack.addUser({ name, email, real_name: name });
    h.slack.state.joinChannel(h.securityChannel, s.id);
    return { name, email, userId: u.id, slackId: s.id };
  };
  const addKey = (name: string, by: Person) =>
    (keys[name] = h.anthropic.state.addApiKey({ name, createdBy: { id: by.userId, type: 'user' } }).id);
  const attestationOf = async (keyName: string) =>
    (await h.db.db.select().from(attestations).where(eq(attestations.subjectId, keys[keyName]!)))[0];
  const dmWithButton = (p: Person, label: string) =>
    eventually(() => dmMessages(h.slack, p.slackId).find((m) => buttonsOf(m.blocks).some((b) => b.label === label)));
  const keyUpdates = (keyId: string) =>
    h.anthropic.calls.all.filter((c) => c.method === 'POST' && c.path === `/v1/organizations/api_keys/${keyId}`);

  beforeAll(async () => {
    h = await startHarness({
      now: '2026-11-02T09:00:00Z',
      policy: 'findings:\n  unattested_access:\n    attest_days: 3\nlifecycle:\n  leaver: revoke\n',
    });
    bob = person('bob');
    carol = person('carol');
    dave = person('dave');
    mallory = person('mallory');
    addKey('legacy-export', bob);
    // Steward's first complete directory sync: what exists now is the baseline, never DMed.
    const first = await h.steward.runJob('sync');
    if (first.status !== 'succeeded') throw new Error(`first sync: ${JSON.stringify(first)}`);
  }, 120_000);
  afterAll(async () => h?.stop());

  it('does not ask about access that existed before the first complete sync', async () => {
    expect(await h.db.db.select().from(attestations)).toEqual([]);
    expect(dmMessages(h.slack, bob.slackId)).toEqual([]);
  });

  it('DMs the creator of a new key within the next sync, once: Attest and I didn’t do this', async () => {
    h.clock.set('2026-11-02T10:00:00Z');
    addKey('invoice-export', bob);
    addKey('dave-bot', dave);
    addKey('scratch', carol);
    expect(await h.steward.runJob('sync')).toMatchObject({ status: 'succeeded' });
    const dm = await dmWithButton(bob, 'Attest');
    expect(blockText(dm.blocks)).toContain('invoice-export');
    expect(buttonsOf(dm.blocks).map((b) => b.label)).toEqual(['Attest', "I didn't do this"]);
    expect(await attestationOf('invoice-export')).toMatchObject({ status: 'pending', requestedSlackId: bob.slackId });
    expect(await attestationOf('legacy-export')).toBeUndefined();
    await dmWithButton(dave, 'Attest');
    await dmWithButton(carol, 'Attest');
    // A second sync sends nothing again.
    h.clock.set('2026-11-02T11:00:00Z');
    await h.steward.runJob('sync');
    expect(dmMessages(h.slack, bob.slackId)).toHaveLength(1);
  });

  it('refuses (and audits) an attestation by someone else; the creator attests through the modal', async () => {
    const dm = await dmWithButton(bob, 'Attest');
    const a = (await attestationOf('invoice-export'))!;
    // A forged click (Mallory cannot see Bob's DM): refused against the stored request, and audited.
    await h.slack.driver.clickButton({
      userId: mallory.slackId,
      channel: dm.channel,
      ts: dm.ts,
      actionId: 'steward_attest',
      force: true,
    });
    await eventually(async () => {
      const rows = await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'attestation.refused'));
      return rows.find((r) => r.actorSlackId === mallory.slackId);
    });
    expect(h.slack.state.modalStack(mallory.slackId)).toEqual([]);

    await h.slack.driver.clickButton({
      userId: bob.slackId,
      channel: dm.channel,
      ts: dm.ts,
      actionId: 'steward_attest',
    });
    const modal = await eventually(() => h.slack.state.modalStack(bob.slackId).at(-1));
    expect(modal.callback_id).toBe('steward_attest_modal');
    const bad = await h.slack.driver.submitView({
      userId: bob.slackId,
      viewId: modal.id,
      values: { purpose: ' x ' },
      force: true,
    });
    expect(bad.responseAction).toBe('errors');
    expect(Object.keys(bad.errors ?? {})).toContain('attest_purpose');
    expect((await attestationOf('invoice-export'))!.status).toBe('pending');

    const ok = await h.slack.driver.submitView({
      userId: bob.slackId,
      viewId: modal.id,
      values: { purpose: 'Nightly invoice export for finance', owner: carol.slackId },
    });
    expect(ok.status).toBe(200);
    const done = await eventually(async () => {
      const r = await attestationOf('invoice-export');
      return r?.status === 'attested' ? r : undefined;
    });
    expect(done).toMatchObject({
      purpose: 'Nightly invoice export for finance',
      businessOwnerSlackId: carol.slackId,
      answeredBySlackId: bob.slackId,
      endDate: null,
    });
    const updated = await eventually(() => {
      const m = h.slack.state.message(dm.channel, dm.ts)!;
      return blockText(m.blocks).includes('Attested by') ? m : undefined;
    });
    expect(buttonsOf(updated.blocks)).toEqual([]);
    const recorded = await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'attestation.recorded'));
    expect(recorded.map((r) => r.subjectId)).toEqual([a.subjectId]);

    // Dave attests his key, naming Carol its business owner.
    const daveDm = await dmWithButton(dave, 'Attest');
    await h.slack.driver.clickButton({
      userId: dave.slackId,
      channel: daveDm.channel,
      ts: daveDm.ts,
      actionId: 'steward_attest',
    });
    const m2 = await eventually(() => h.slack.state.modalStack(dave.slackId).at(-1));
    await h.slack.driver.submitView({
      userId: dave.slackId,
      viewId: m2.id,
      values: { purpose: 'Support bot for the help desk', owner: carol.slackId, end: '2027-06-30' },
    });
    await eventually(async () => ((await attestationOf('dave-bot'))?.status === 'attested' ? true : undefined));
  });

  it('an unanswered request becomes unattested_access after attest_days', async () => {
    h.clock.set('2026-11-06T09:00:00Z');
    expect(await h.steward.runJob('correlate')).toMatchObject({ status: 'succeeded' });
    const open = await queryRows<{ subject_id: string }>(
      h.db.db,
      sql`select subject_id from findings where kind = 'unattested_access' and status = 'open'`,
    );
    expect(open.map((r) => r.subject_id)).toEqual([keys.scratch]);
    const review = await eventually(() =>
      dmMessages(h.slack, carol.slackId).find((m) => blockText(m.blocks).includes('Nobody has attested this access')),
    );
    expect(blockText(review.blocks)).toContain('scratch');
  });

  it('a deactivated Slack user raises a leaver alert within one sync; leaver: revoke deactivates their key once', async () => {
    h.clock.set('2026-11-06T10:00:00Z');
    h.slack.deactivateUser(dave.slackId);
    expect(await h.steward.runJob('sync')).toMatchObject({ status: 'succeeded' });
    const [finding] = await h.db.db.select().from(findings).where(eq(findings.kind, 'leaver'));
    expect(finding).toMatchObject({ subjectType: 'user', subjectId: dave.userId });
    const alert = await eventually(() =>
      channelMessages(h.slack, h.securityChannel).find((m) =>
        blockText(m.blocks).includes('a leaver still holds access'),
      ),
    );
    expect(blockText(alert.blocks)).toContain('dave-bot');
    expect(blockText(alert.blocks)).toContain('Still holds');

    await eventually(() =>
      h.anthropic.state.apiKeys.get(keys['dave-bot']!)?.status === 'inactive' ? true : undefined,
    );
    const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.kind, 'leaver'));
    expect(item).toMatchObject({ status: 'decided', decision: 'revoke', decidedBySlackId: null });
    const decided = await h.db.db.select().from(auditLog).where(eq(auditLog.reviewItemId, item!.id));
    expect(decided.filter((r) => r.action === 'review.decided').map((r) => r.actorLabel)).toEqual(['leaver-policy']);

    // The key's business owner is told what happened, by whom and why (Dave's own account is gone).
    const told = await eventually(() =>
      dmMessages(h.slack, carol.slackId).find((m) => (m.text ?? '').includes('was deactivated by')),
    );
    expect(told.text).toContain("Steward's leaver policy");
    // A leaver alert has no Restore button: the way back is to ask an admin.
    expect(told.text).toContain('To get it back, ask');
    // The alert in the security channel shows the outcome.
    await eventually(() => {
      const m = h.slack.state.message(alert.channel, alert.ts)!;
      return blockText(m.blocks).includes('Revoked') ? m : undefined;
    });

    // Another sync: no second alert, no second call, no second notice.
    h.clock.set('2026-11-06T11:00:00Z');
    await h.steward.runJob('sync');
    await h.steward.services.outbox.drain();
    expect(keyUpdates(keys['dave-bot']!)).toHaveLength(1);
    const alerts = channelMessages(h.slack, h.securityChannel).filter((m) =>
      blockText(m.blocks).includes('a leaver still holds access'),
    );
    expect(alerts).toHaveLength(1);
    expect(
      dmMessages(h.slack, carol.slackId).filter((m) => (m.text ?? '').includes('was deactivated by')),
    ).toHaveLength(1);
  });

  it('the purpose shows in a later dormant-key DM and in the export', async () => {
    h.clock.set('2026-12-05T09:00:00Z');
    expect(await h.steward.runJob('sync')).toMatchObject({ status: 'succeeded' });
    expect(await h.steward.runJob('correlate')).toMatchObject({ status: 'succeeded' });
    const dm = await eventually(() =>
      dmMessages(h.slack, bob.slackId).find(
        (m) =>
          blockText(m.blocks).includes('Is this API key still needed?') &&
          blockText(m.blocks).includes('invoice-export'),
      ),
    );
    expect(blockText(dm.blocks)).toContain('Approved purpose');
    expect(blockText(dm.blocks)).toContain('Nightly invoice export for finance');

    await h.slack.driver.clickButton({ userId: bob.slackId, channel: dm.channel, ts: dm.ts, actionId: 'steward_keep' });
    const modal = await eventually(() => h.slack.state.modalStack(bob.slackId).at(-1));
    await h.slack.driver.submitView({
      userId: bob.slackId,
      viewId: modal.id,
      values: { reason: 'Still runs every night', duration: '90' },
    });
    await eventually(async () => {
      const rows = await h.db.db.select().from(reviewItems).where(eq(reviewItems.subjectId, keys['invoice-export']!));
      return rows.find((r) => r.status === 'decided');
    });
    const csv = (await exportAuditToBuffer(h.db.db, { format: 'csv', now: h.clock.now() })).content.toString('utf8');
    const line = csv.split('\n').find((l) => l.includes('invoice-export'));
    expect(line).toContain('Nightly invoice export for finance');
  });
});
