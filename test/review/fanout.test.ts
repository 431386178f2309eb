import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewItems } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedKey, seedPerson, type Person } from '../helpers/review-fixtures.js';
import { blockText, dmMessages } from '../helpers/slack-inspect.js';

describe('DM fan-out', () => {
  let h: Harness;
  let people: Person[];
  beforeAll(async () => {
    h = await startHarness();
    people = [];
    for (let i = 0; i < 24; i++) {
      const p = await seedPerson(h, `owner${i}`);
      people.push(p);
      const keyId = await seedKey(h, `key-of-owner${i}`, p);
      await seedFinding(h, evidence('dormant_key', { type: 'api_key', id: keyId, label: `key-of-owner${i}` }, p));
    }
  });
  afterAll(async () => h?.stop());

  it('rides out Slack 429s: every review is delivered exactly once', async () => {
    // Tight pressure: 2 messages a second across the workspace, 1 s Retry-After.
    h.slack.rateLimits.set('chat.postMessage', { limit: 2, windowMs: 1000, burst: 2, retryAfterSeconds: 1 });
    const r = await h.steward.services.review.openAndDeliver();
    expect(r).toMatchObject({ created: 24, delivered: 24, failed: 0 });
    const limited = h.slack.calls.list().filter((c) => c.method === 'chat.postMessage' && c.rateLimited);
    expect(limited.length).toBeGreaterThan(0);
    for (const p of people) {
      const mine = dmMessages(h.slack, p.slackId).filter((m) => blockText(m.blocks).includes('key-of-'));
      expect(mine, p.email).toHaveLength(1);
    }
    const items = await h.db.db.select().from(reviewItems);
    expect(items.every((i) => i.status === 'open' && i.slackTs)).toBe(true);
  }, 60_000);

  it('keeps an undeliverable review pending and delivers it on the next run (no loss, no duplicate)', async () => {
    h.slack.rateLimits.clear();
    const late = await seedPerson(h, 'late');
    const keyId = await seedKey(h, 'key-of-late', late);
    await seedFinding(h, evidence('dormant_key', { type: 'api_key', id: keyId, label: 'key-of-late' }, late));
    h.slack.faults.add('chat.postMessage', { kind: 'error', error: 'internal_error', times: 1 });
    const first = await h.steward.services.review.openAndDeliver();
    expect(first).toMatchObject({ created: 1, delivered: 0, failed: 1 });
    // The failed attempt backs off; a later run (after the back-off) delivers it once.
    h.clock.advanceDays(1);
    const second = await h.steward.services.review.deliverPending();
    expect(second.delivered).toBe(1);
    expect(dmMessages(h.slack, late.slackId).filter((m) => blockText(m.blocks).includes('key-of-late'))).toHaveLength(
      1,
    );
  }, 60_000);

  it('keeps very long names inside Block Kit limits', async () => {
    const p = await seedPerson(h, 'longname');
    const name = `k${'x'.repeat(3500)}`;
    const keyId = await seedKey(h, name, p);
    await seedFinding(
      h,
      evidence('dormant_key', { type: 'api_key', id: keyId, label: name }, p, { rule: 'r'.repeat(4000) }),
    );
    const r = await h.steward.services.review.openAndDeliver();
    expect(r.delivered).toBe(1);
    const invalid = h.slack.calls.list().filter((c) => c.error === 'invalid_blocks' || c.error === 'msg_too_long');
    expect(invalid).toEqual([]);
  });
});
