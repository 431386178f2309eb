import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { attestations, auditLog, slackDmChannels } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { eventually } from '../helpers/eventually.js';
import { blockText, buttonsOf, dmMessages } from '../helpers/slack-inspect.js';

interface Person {
  email: string;
  userId: string;
  slackId: string;
}

/**
 * `lifecycle.attest_existing_per_day` covers roles as well as keys (issue 20), end to end:
 * access that existed before Steward's first complete sync is attested in daily batches —
 * API keys, org admin/owner roles, workspace admin roles — one budget, oldest first, never
 * twice; and attestation requests go through each person's stored DM channel, like review
 * DMs: no conversations.open, ever.
 */
describe('attesting pre-existing access in daily batches, through the stored DM channels', () => {
  let h: Harness;
  let bob: Person;
  let erin: Person;
  let frank: Person;
  const keys: Record<string, string> = {};

  const person = (name: string, role = 'user', addedAt = '2025-09-01T00:00:00Z'): Person => {
    const email = `${name}@example.com`;
    const u = h.anthropic.state.addUser({ email, name, role: role as never, addedAt });
    const s = h.slack.addUser({ name, email, real_name: name });
    return { email, userId: u.id, slackId: s.id };
  };
  const requested = async () =>
    // Day by day, then by what it is (one day's batch has no order of its own).
    (await h.db.db.select().from(attestations))
      .map(
        (a) =>
          `${a.requestedAt.toISOString().slice(0, 10)} ${a.accessKind} ${a.label.replace(/ \(sk-.*\)$/, '')} (${a.askedVia})`,
      )
      .sort();
  const postsTo = (channel: string) =>
    h.slack.calls.list('chat.postMessage').filter((c) => c.ok && c.args.channel === channel);
  const attestDms = (p: Person) =>
    dmMessages(h.slack, p.slackId).filter((m) => buttonsOf(m.blocks).some((b) => b.label === 'Attest'));

  beforeAll(async () => {
    h = await startHarness({ now: '2026-11-02T09:00:00Z', policy: 'lifecycle:\n  attest_existing_per_day: 2\n' });
    bob = person('bob');
    erin = person('erin', 'admin', '2024-01-10T00:00:00Z');
    frank = person('frank');
    const data = h.anthropic.state.addWorkspace({ name: 'Data' }).id;
    h.anthropic.state.addWorkspaceMember({ workspaceId: data, userId: frank.userId, role: 'workspace_admin' });
    keys.old2023 = h.anthropic.state.addApiKey({
      name: 'old-2023',
      createdBy: { id: bob.userId, type: 'user' },
      createdAt: '2023-05-01T00:00:00Z',
    }).id;
    keys.old2025 = h.anthropic.state.addApiKey({
      name: 'old-2025',
      createdBy: { id: bob.userId, type: 'user' },
      createdAt: '2025-06-01T00:00:00Z',
    }).id;
  }, 60_000);
  afterAll(async () => h?.stop());

  it('day one: the two oldest accesses (a key, an admin role), each DMed to whoever answers for it', async () => {
    expect(await h.steward.runJob('sync')).toMatchObject({ status: 'succeeded' });
    expect(await requested()).toEqual([
      '2026-11-02 api_key old-2023 (creator)',
      '2026-11-02 org_admin erin@example.com (holder)',
    ]);
    const [toBob] = attestDms(bob);
    expect(blockText(toBob!.blocks)).toContain('old-2023');
    const [toErin] = attestDms(erin);
    expect(blockText(toErin!.blocks)).toContain('You hold');
    expect(blockText(toErin!.blocks)).toContain('Organisation role *admin*');
    // Written to each person's user id once; the D… channel Slack answered with is stored.
    const stored = new Map((await h.db.db.select().from(slackDmChannels)).map((r) => [r.slackUserId, r.channelId]));
    for (const p of [bob, erin]) {
      expect(postsTo(p.slackId)).toHaveLength(1);
      expect(stored.get(p.slackId)).toBe(h.slack.state.dmWith(p.slackId)!.id);
    }
    // The rest of the day's budget is spent: a later sync the same day asks nothing more.
    h.clock.set('2026-11-02T15:00:00Z');
    expect(await h.steward.runJob('sync')).toMatchObject({ status: 'succeeded' });
    expect(await requested()).toHaveLength(2);
  });

  it('day two: the next oldest (a key, then a workspace admin role); the DM goes to the stored channel', async () => {
    h.clock.set('2026-11-03T09:00:00Z');
    expect(await h.steward.runJob('sync')).toMatchObject({ status: 'succeeded' });
    expect((await requested()).slice(2)).toEqual([
      '2026-11-03 api_key old-2025 (creator)',
      '2026-11-03 workspace_admin frank@example.com in Data (holder)',
    ]);
    await eventually(() => (attestDms(bob).length === 2 ? true : undefined));
    const bobDm = h.slack.state.dmWith(bob.slackId)!.id;
    expect(postsTo(bob.slackId)).toHaveLength(1);
    expect(postsTo(bobDm)).toHaveLength(1);
    expect(blockText(attestDms(frank)[0]!.blocks)).toContain('Workspace admin role');
  });

  it('never twice: nothing more is asked once everything has been asked; no conversations.open at all', async () => {
    h.clock.set('2026-11-04T09:00:00Z');
    expect(await h.steward.runJob('sync')).toMatchObject({ status: 'succeeded' });
    expect(await requested()).toHaveLength(4);
    const audited = await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'attestation.requested'));
    expect(new Set(audited.map((r) => r.subjectId)).size).toBe(4);
    expect(audited).toHaveLength(4);
    expect(attestDms(bob)).toHaveLength(2);
    expect(h.slack.calls.list('conversations.open')).toEqual([]);
  });

  it('a role held before Steward is attested like any access: its approval record', async () => {
    const dm = attestDms(erin)[0]!;
    await h.slack.driver.clickButton({
      userId: erin.slackId,
      channel: dm.channel,
      ts: dm.ts,
      actionId: 'steward_attest',
    });
    const modal = await eventually(() => h.slack.state.modalStack(erin.slackId).at(-1));
    await h.slack.driver.submitView({
      userId: erin.slackId,
      viewId: modal.id,
      values: { purpose: 'Runs the Claude organisation for IT', owner: erin.slackId },
    });
    const row = await eventually(async () => {
      const [a] = await h.db.db.select().from(attestations).where(eq(attestations.subjectId, erin.userId));
      return a?.status === 'attested' ? a : undefined;
    });
    expect(row).toMatchObject({ subjectType: 'user', accessKind: 'org_admin', origin: 'existing', role: 'admin' });
  });
});
