import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy.js';
import { slackDmChannels, reviewItems } from '../../src/db/schema/index.js';
import { loadSnapshot } from '../../src/review/snapshot.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedKey, seedPerson, type Person } from '../helpers/review-fixtures.js';
import { blockText, dmMessages } from '../helpers/slack-inspect.js';

/**
 * Delivery spends Slack's budget only where Slack needs a call, under the sim's default
 * (Slack's published tiers): a person's DM is learnt once and stored, owners are mapped in
 * bulk, urgent posts go first, refreshes of one message or home are coalesced.
 */
describe('fan-out within Slack’s budget', () => {
  let h: Harness;
  const keyFinding = async (p: Person, name: string, kind: 'dormant_key' | 'usage_spike' = 'dormant_key') => {
    const keyId = await seedKey(h, name, p);
    return seedFinding(h, evidence(kind, { type: 'api_key', id: keyId, label: name }, p));
  };
  const postsTo = (channel: string) =>
    h.slack.calls.list('chat.postMessage').filter((c) => c.ok && c.args.channel === channel);

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.stop());

  it('writes to a person by user id once, stores the D… channel, and uses it in the next cycle: no conversations.open', async () => {
    const people = [await seedPerson(h, 'dora'), await seedPerson(h, 'dmitri'), await seedPerson(h, 'dana')];
    h.slack.calls.clear();
    for (const p of people) await keyFinding(p, `first-of-${p.email}`);
    expect(await h.steward.services.review.openAndDeliver()).toMatchObject({ created: 3, delivered: 3 });
    const stored = new Map((await h.db.db.select().from(slackDmChannels)).map((r) => [r.slackUserId, r.channelId]));
    for (const p of people) {
      expect(postsTo(p.slackId), p.email).toHaveLength(1);
      expect(stored.get(p.slackId)).toBe(h.slack.state.dmWith(p.slackId)!.id);
    }

    // The second cycle: two more findings per person, all posted to the stored channels.
    for (const p of people) {
      await keyFinding(p, `second-of-${p.email}`);
      await keyFinding(p, `third-of-${p.email}`);
    }
    expect(await h.steward.services.review.openAndDeliver()).toMatchObject({ created: 6, delivered: 6 });
    for (const p of people) {
      expect(postsTo(p.slackId), p.email).toHaveLength(1);
      expect(postsTo(stored.get(p.slackId)!), p.email).toHaveLength(2);
      expect(dmMessages(h.slack, p.slackId)).toHaveLength(3);
    }
    expect(h.slack.calls.list('conversations.open')).toEqual([]);
    expect(h.slack.calls.list().filter((c) => c.rateLimited)).toEqual([]);
  }, 60_000);

  it('maps owners in bulk through users.list above the threshold; deactivated, unknown and bot-only owners go to the security channel', async () => {
    const many: Person[] = [];
    for (let i = 0; i < 24; i++) many.push(await seedPerson(h, `bulk${i}`));
    const guest = await seedPerson(h, 'guesta', { inSlack: false });
    h.slack.addUser({ name: 'guesta', email: guest.email, guest: 'multi' });
    const gone = await seedPerson(h, 'gonzo');
    h.slack.deactivateUser(gone.slackId);
    const stranger = await seedPerson(h, 'stranger', { inSlack: false });
    for (const p of [...many, guest, gone, stranger]) await keyFinding(p, `bulk-key-of-${p.email}`);
    h.slack.calls.clear();

    const r = await h.steward.services.review.openAndDeliver();
    expect(r).toMatchObject({ created: 27, toSecurityChannel: 2, failed: 0 });
    expect(h.slack.calls.list('users.lookupByEmail')).toEqual([]);
    const pages = h.slack.calls.list('users.list');
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((c) => c.args.limit === '1000' || c.args.limit === 1000)).toBe(true);
    for (const p of many) expect(dmMessages(h.slack, p.slackId), p.email).toHaveLength(1);
    const guestId = h.slack.state.listUsers().find((u) => u.email === guest.email)!.id;
    expect(dmMessages(h.slack, guestId)).toHaveLength(1); // a guest is written to, as before
    const toChannel = h.slack.state.history(h.securityChannel).map((m) => blockText(m.blocks));
    for (const p of [gone, stranger]) expect(toChannel.some((t) => t.includes(`bulk-key-of-${p.email}`))).toBe(true);

    // The stranger joins Slack; once the cached "no Slack user" has expired, the next run finds them.
    const joined = h.slack.addUser({ name: 'stranger', email: stranger.email });
    h.clock.advanceDays(1.1);
    await keyFinding(stranger, 'later-key-of-stranger');
    h.slack.calls.clear();
    expect(await h.steward.services.review.openAndDeliver()).toMatchObject({ created: 1, toOwners: 1, delivered: 1 });
    // One owner to map: below the threshold, one users.lookupByEmail and no listing.
    expect(h.slack.calls.list('users.lookupByEmail')).toHaveLength(1);
    expect(h.slack.calls.list('users.list')).toEqual([]);
    expect(dmMessages(h.slack, joined.id).map((m) => blockText(m.blocks))).toEqual([
      expect.stringContaining('later-key-of-stranger'),
    ]);
  }, 60_000);

  it('sends security-channel posts and anomalies before routine reviews opened earlier', async () => {
    const routine: Person[] = [];
    for (let i = 0; i < 12; i++) routine.push(await seedPerson(h, `routine${i}`));
    const ids = [];
    for (const p of routine) ids.push(await keyFinding(p, `routine-key-of-${p.email}`));
    await h.steward.services.review.openReviews({ findingIds: ids });
    const spiky = await seedPerson(h, 'spiky');
    const spike = await keyFinding(spiky, 'spiking-key', 'usage_spike');
    await h.steward.services.review.openReviews({ findingIds: [spike] });
    h.slack.calls.clear();

    // One lane, so the order of the posts is the order of delivery.
    expect(await h.steward.services.review.deliverPending({ concurrency: 1 })).toMatchObject({
      delivered: 13,
      failed: 0,
    });
    const posts = h.slack.calls.list('chat.postMessage').filter((c) => c.ok);
    expect(posts).toHaveLength(13);
    expect(posts[0]!.args.channel).toBe(h.securityChannel);
  }, 60_000);

  it('coalesces a burst of refreshes of one message and one App Home, and shares profile lookups', async () => {
    const p = await seedPerson(h, 'burst');
    await keyFinding(p, 'burst-key');
    await h.steward.services.review.openAndDeliver();
    const [item] = (await h.db.db.select().from(reviewItems)).filter((i) => i.assigneeSlackId === p.slackId);
    const s = (await loadSnapshot(h.db.db, item!.id, loadPolicy(h.config.policyPath).policy))!;
    h.slack.calls.clear();

    await Promise.all(Array.from({ length: 12 }, () => h.steward.services.notifier.refresh(s)));
    const updates = h.slack.calls.list('chat.update').filter((c) => c.args.ts === item!.slackTs);
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.length).toBeLessThanOrEqual(2);

    await Promise.all(Array.from({ length: 12 }, () => h.steward.services.refreshHome(p.slackId)));
    const homes = h.slack.calls.list('views.publish').filter((c) => c.args.user_id === p.slackId);
    expect(homes.length).toBeGreaterThan(0);
    expect(homes.length).toBeLessThanOrEqual(2);

    const stranger = h.slack.addUser({ name: 'asker', email: 'asker@example.com' });
    const answers = await Promise.all(Array.from({ length: 12 }, () => h.steward.services.slack.profile(stranger.id)));
    expect(answers.every((a) => a?.id === stranger.id)).toBe(true);
    expect(h.slack.calls.list('users.info').filter((c) => c.args.user === stranger.id)).toHaveLength(1);
  }, 60_000);
});
