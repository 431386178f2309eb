import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { findings } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedPerson, type Person } from '../helpers/review-fixtures.js';

// openReviews() writes review rows 500 to a statement (issue 14): more than two chunks here,
// checked row by row so that no review is paired with another finding's evidence or route.
describe('opening many reviews at once', () => {
  let h: Harness;
  let owner: Person;
  const N = 1201;
  beforeAll(async () => {
    h = await startHarness();
    owner = await seedPerson(h, 'many');
    const rows = Array.from({ length: N + 1 }, (_, i) => {
      const e =
        i < N
          ? evidence('dormant_key', { type: 'api_key', id: `apikey_many_${i}`, label: `key ${i}` }, owner)
          : evidence('unowned_key', { type: 'api_key', id: 'apikey_nobody', label: 'nobody' }, null);
      return {
        id: randomUUID(),
        fingerprint: `${e.kind}:${e.subject.type}:${e.subject.id}`,
        kind: e.kind,
        subjectType: e.subject.type,
        subjectId: e.subject.id,
        evidence: e as unknown as Record<string, unknown>,
        owner: e.owner,
        firstDetectedAt: new Date(Date.now() - 60_000),
      };
    });
    await h.db.db.insert(findings).values(rows);
  });
  afterAll(async () => h?.stop());

  it('opens one review per finding across chunks, each with its own finding, evidence and route', async () => {
    const r = await h.steward.services.review.openReviews();
    expect(r).toEqual({ created: N + 1, toOwners: N, toSecurityChannel: 1 });
    const rows = await queryRows<Record<string, unknown>>(
      h.db.db,
      sql`select r.subject_id, r.route, r.assignee_slack_id, r.evidence_shown->'subject'->>'id' as shown_subject,
            f.subject_id as finding_subject
          from review_items r join findings f on f.id = r.finding_id`,
    );
    expect(rows).toHaveLength(N + 1);
    expect(new Set(rows.map((x) => x.subject_id)).size).toBe(N + 1);
    const mismatched = rows.filter((x) => x.subject_id !== x.finding_subject || x.shown_subject !== x.subject_id);
    expect(mismatched).toEqual([]);
    const dm = rows.filter((x) => x.route === 'dm');
    expect(dm).toHaveLength(N);
    expect(dm.every((x) => x.assignee_slack_id === owner.slackId)).toBe(true);
    expect(rows.find((x) => x.subject_id === 'apikey_nobody')).toMatchObject({
      route: 'security_channel',
      assignee_slack_id: null,
    });
  });

  it('opens nothing the second time, and audits each opening with its counts', async () => {
    expect(await h.steward.services.review.openReviews()).toEqual({ created: 0, toOwners: 0, toSecurityChannel: 0 });
    const audit = await queryRows<{ details: unknown }>(
      h.db.db,
      sql`select details from audit_log where action = 'review.opened' order by seq`,
    );
    const details = audit.map((a) => (typeof a.details === 'string' ? JSON.parse(a.details) : a.details));
    expect(details).toEqual([{ created: N + 1, toOwners: N, toSecurityChannel: 1 }]);
  });
});
