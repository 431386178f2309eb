import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.js';
import { auditLog, outboxActions, reviewItems } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { eventually } from '../helpers/eventually.js';
import { blockText, buttonsOf, channelMessages } from '../helpers/slack-inspect.js';

interface Person {
  name: string;
  email: string;
  userId: string;
  slackId: string;
}

interface Accessory {
  blockId: string;
  actionId: string;
  value: string;
  text: string;
}

/** The per-item buttons of a message: section accessories, with their section's text. */
function accessories(blocks: unknown): Accessory[] {
  const out: Accessory[] = [];
  for (const b of (blocks as Array<Record<string, any>> | undefined) ?? [])
    if (b.type === 'section' && b.accessory?.type === 'button')
      out.push({ blockId: b.block_id, actionId: b.accessory.action_id, value: b.accessory.value, text: b.text?.text });
  return out;
}

/**
 * Issue 20's remainder for leavers, end to end (signed requests through the real Bolt
 * receiver, the Slack and Anthropic simulators): the leaver alert has a Revoke per access
 * besides Revoke all — admins only, refusals audited, each through the outbox once however
 * often it is clicked, the alert updated as each finishes — and the keys the leaver created
 * that others still use become unowned with "creator left (…)" instead of being revoked.
 */
describe('leaver alert: per-item Revoke; keys others use become unowned', () => {
  let h: Harness;
  let dave: Person;
  let erin: Person;
  let mallory: Person;
  const keys: Record<string, string> = {};
  let data: string;

  const person = (name: string, role = 'user'): Person => {
    const email = `${name}@example.com`;
    const u = h.anthropic.state.addUser({ email, name, role: role as never, addedAt: '2025-01-01T00:00:00Z' });
    const s = h.slack.addUser({ name, email, real_name: name });
    h.slack.state.joinChannel(h.securityChannel, s.id);
    return { name, email, userId: u.id, slackId: s.id };
  };
  const alert = (who = 'dave') =>
    channelMessages(h.slack, h.securityChannel).find((m) => {
      const t = blockText(m.blocks);
      return t.includes('a leaver still holds access') && t.includes(`${who}@example.com`);
    });
  const current = (who = 'dave') => {
    const a = alert(who)!;
    return h.slack.state.message(a.channel, a.ts)!;
  };
  const buttonFor = (label: string, who = 'dave') =>
    accessories(current(who).blocks).find((a) => a.text.includes(label));
  const click = (userId: string, b: Accessory, force = false, who = 'dave') => {
    const a = alert(who)!;
    return h.slack.driver.clickButton({
      userId,
      channel: a.channel,
      ts: a.ts,
      actionId: b.actionId,
      blockId: b.blockId,
      value: b.value,
      force,
    });
  };
  const daveItem = async () =>
    (
      await h.db.db
        .select()
        .from(reviewItems)
        .where(and(eq(reviewItems.kind, 'leaver'), eq(reviewItems.subjectId, dave.userId)))
    )[0];
  const callsTo = (method: string, path: string) =>
    h.anthropic.calls.all.filter((c) => c.method === method && c.path === path);

  beforeAll(async () => {
    h = await startHarness({ now: '2026-11-02T09:00:00Z' });
    // A membership admin: an org admin role the Admin API can lower (the simulator, like the
    // API, refuses to change or remove an admin or owner).
    dave = person('dave', 'membership_admin');
    mallory = person('mallory');
    erin = person('erin');
    for (const name of ['erin-a', 'erin-b'])
      keys[name] = h.anthropic.state.addApiKey({ name, createdBy: { id: erin.userId, type: 'user' } }).id;
    data = h.anthropic.state.addWorkspace({ name: 'Data' }).id;
    h.anthropic.state.addWorkspaceMember({ workspaceId: data, userId: dave.userId, role: 'workspace_admin' });
    for (const name of ['dave-cli', 'dave-old', 'shared-etl'])
      keys[name] = h.anthropic.state.addApiKey({
        name,
        createdBy: { id: dave.userId, type: 'user' },
        createdAt: '2026-03-01T00:00:00Z',
      }).id;
    // The ETL key is in use (by the team that runs it); Dave's own keys are idle.
    for (const date of ['2026-10-30', '2026-10-31', '2026-11-01'])
      h.anthropic.state.addKeyUsage({ apiKeyId: keys['shared-etl']!, date, requests: 40 });
    const first = await h.steward.runJob('sync');
    if (first.status !== 'succeeded') throw new Error(`first sync: ${JSON.stringify(first)}`);

    h.clock.set('2026-11-02T10:00:00Z');
    h.slack.deactivateUser(dave.slackId);
    h.slack.deactivateUser(erin.slackId);
    const second = await h.steward.runJob('sync');
    if (second.status !== 'succeeded') throw new Error(`second sync: ${JSON.stringify(second)}`);
    await eventually(() => alert('dave') && alert('erin'));
  }, 120_000);
  afterAll(async () => h?.stop());

  it('lists each access with its own Revoke besides Revoke all; keys others use are apart', () => {
    const m = current();
    const text = blockText(m.blocks);
    const perItem = accessories(m.blocks);
    expect(perItem.every((b) => b.actionId === 'steward_revoke_holding')).toBe(true);
    expect(perItem.map((b) => b.text.replace(/\*/g, '').replace(/ \(sk-.*\)$/, '')).sort()).toEqual([
      '• API key dave-cli',
      '• API key dave-old',
      '• Organisation role membership_admin',
      `• Seat ${dave.email}`,
      '• Workspace admin of Data',
    ]);
    expect(buttonsOf(m.blocks).map((b) => b.label)).toEqual(['Acknowledge', 'Revoke all']);
    expect(text).toContain('still used by others');
    expect(text).toMatch(/API key shared-etl/);
  });

  it('refuses (and audits) a per-item Revoke by someone who is not a Steward admin', async () => {
    await click(mallory.slackId, buttonFor('dave-cli')!);
    const refused = await eventually(async () => {
      const rows = await h.db.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'review.refused'), eq(auditLog.actorSlackId, mallory.slackId)));
      return rows[0];
    });
    expect(refused.details).toMatchObject({ attempted: 'revoke' });
    expect(await h.db.db.select().from(outboxActions)).toEqual([]);
    expect(buttonFor('dave-cli')).toBeDefined();
    const revokedNothing = await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'review.holding_revoked'));
    expect(revokedNothing).toEqual([]);
  });

  it('an admin revokes one key: one outbox action, one API call however often it is clicked; the alert updates', async () => {
    const b = buttonFor('dave-cli')!;
    // Two clicks at once (a double click, or two replicas answering a retried request).
    await Promise.all([click(h.admin.id, b), click(h.admin.id, b)]);
    await eventually(() =>
      h.anthropic.state.apiKeys.get(keys['dave-cli']!)?.status === 'inactive' ? true : undefined,
    );
    await eventually(() => (blockText(current().blocks).includes('the key is deactivated') ? true : undefined));
    expect(buttonFor('dave-cli')).toBeUndefined();
    // Clicked again from a stale screen: nothing is done twice.
    await click(h.admin.id, b, true);
    await h.steward.services.outbox.drain();
    const actions = await h.db.db.select().from(outboxActions).where(eq(outboxActions.kind, 'deactivate_key'));
    expect(actions.map((a) => `${a.kind}:${a.targetId}`)).toEqual([`deactivate_key:${keys['dave-cli']}`]);
    expect(callsTo('POST', `/v1/organizations/api_keys/${keys['dave-cli']}`)).toHaveLength(1);
    const audited = await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'review.holding_revoked'));
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actorSlackId: h.admin.id, outcome: 'revoke' });
    expect(await daveItem()).toMatchObject({ status: 'open' });
  });

  it('the role, then the seat (roles go with it): when every access has its action the alert is decided', async () => {
    await click(h.admin.id, buttonFor('Organisation role')!);
    await eventually(() => (h.anthropic.state.user(dave.userId)?.role === 'user' ? true : undefined));
    await click(h.admin.id, buttonFor('dave-old')!);
    await click(h.admin.id, buttonFor('Seat')!);
    await eventually(() => (h.anthropic.state.user(dave.userId)?.removedAt ? true : undefined));
    const item = await eventually(async () => {
      const row = await daveItem();
      return row?.status === 'decided' ? row : undefined;
    });
    expect(item).toMatchObject({ decision: 'revoke', decidedBySlackId: h.admin.id });
    await h.steward.services.outbox.drain();
    const settled = await eventually(() => {
      const m = current();
      const t = blockText(m.blocks);
      return t.includes('Revoked') && t.includes('the member is removed') ? m : undefined;
    });
    expect(accessories(settled.blocks)).toEqual([]);
    expect(buttonsOf(settled.blocks)).toEqual([]);
    expect(blockText(settled.blocks)).toContain('goes with the seat');
    // Each access once; the key others use was left running.
    const kinds = (await h.db.db.select().from(outboxActions).where(eq(outboxActions.reviewItemId, item.id)))
      .map((a) => a.kind)
      .sort();
    expect(kinds).toEqual(['deactivate_key', 'deactivate_key', 'lower_org_role', 'remove_member']);
    expect(callsTo('DELETE', `/v1/organizations/users/${dave.userId}`)).toHaveLength(1);
    expect(h.anthropic.state.apiKeys.get(keys['shared-etl']!)?.status).toBe('active');
    const decided = await h.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'review.decided'), eq(auditLog.reviewItemId, item.id)));
    expect(decided.map((r) => (r.details as { via?: string }).via)).toEqual(['per_item']);
  });

  it('Revoke all after a per-item revoke enqueues only the rest, each once', async () => {
    await click(h.admin.id, buttonFor('erin-a', 'erin')!, false, 'erin');
    await eventually(() => (h.anthropic.state.apiKeys.get(keys['erin-a']!)?.status === 'inactive' ? true : undefined));
    const a = alert('erin')!;
    await h.slack.driver.clickButton({ userId: h.admin.id, channel: a.channel, ts: a.ts, actionId: 'steward_revoke' });
    await eventually(() => (h.anthropic.state.user(erin.userId)?.removedAt ? true : undefined));
    await eventually(() => (h.anthropic.state.apiKeys.get(keys['erin-b']!)?.status === 'inactive' ? true : undefined));
    await h.steward.services.outbox.drain();
    const [item] = await h.db.db
      .select()
      .from(reviewItems)
      .where(and(eq(reviewItems.kind, 'leaver'), eq(reviewItems.subjectId, erin.userId)));
    const rows = await h.db.db.select().from(outboxActions).where(eq(outboxActions.reviewItemId, item!.id));
    expect(rows.map((r) => `${r.kind}:${r.targetId}`).sort()).toEqual(
      [`deactivate_key:${keys['erin-a']}`, `deactivate_key:${keys['erin-b']}`, `remove_member:${erin.userId}`].sort(),
    );
    expect(callsTo('POST', `/v1/organizations/api_keys/${keys['erin-a']}`)).toHaveLength(1);
    // Dave's alert, decided one access at a time, takes no Revoke all.
    const d = alert('dave')!;
    await h.slack.driver.clickButton({
      userId: h.admin.id,
      channel: d.channel,
      ts: d.ts,
      actionId: 'steward_revoke',
      force: true,
    });
    await h.steward.services.outbox.drain();
    const daveRows = await h.db.db
      .select()
      .from(outboxActions)
      .where(eq(outboxActions.reviewItemId, (await daveItem())!.id));
    expect(daveRows).toHaveLength(4);
  });

  it('the key the leaver created that others still use is unowned: "creator left (dave, Slack account deactivated …)"', async () => {
    h.clock.set('2026-11-02T11:00:00Z');
    expect(await h.steward.runJob('correlate')).toMatchObject({ status: 'succeeded' });
    const [finding] = await queryRows<{ evidence: { rule: string; owner: { unownedReason: string } } }>(
      h.db.db,
      sql`select evidence from findings where kind = 'unowned_key' and subject_id = ${keys['shared-etl']!}`,
    );
    expect(finding!.evidence.owner.unownedReason).toBe('creator_left');
    expect(finding!.evidence.rule).toContain('creator left (dave, Slack account deactivated 2026-11-02)');
    const review = await eventually(() =>
      channelMessages(h.slack, h.securityChannel).find(
        (m) => blockText(m.blocks).includes('shared-etl') && blockText(m.blocks).includes('Nobody is accountable'),
      ),
    );
    expect(blockText(review.blocks)).toContain('creator left (dave, Slack account deactivated 2026-11-02)');
    expect(buttonsOf(review.blocks).map((b) => b.label)).toContain('Claim');
  });
});
