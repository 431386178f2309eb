/**
 * `npm run sandbox -- --orgs 3` (issue 17): the company's Claude organisation and two siblings
 * under one parent, Steward configured with one Admin key each (ANTHROPIC_ADMIN_KEYS) and the
 * parent's Compliance key. The first sync and review find each sibling's known answer, in that
 * organisation; one engineer's DM holds items of two organisations, each labelled; the page's
 * organisation panel names all three.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/start.js';
import { blockText, dmMessages } from '../helpers/slack-inspect.js';

describe('the sandbox with --orgs 3', { timeout: 300_000 }, () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, people: 12, keys: 16, days: 90, orgs: 3 });
  }, 300_000);
  afterAll(async () => sandbox?.stop());

  const db = () => sandbox.steward.database.db;

  it("finds each organisation's known answer, in that organisation", async () => {
    const orgs = await queryRows<{ id: string; name: string }>(
      db(),
      sql`select id, name from organizations order by name`,
    );
    expect(orgs.map((o) => o.name)).toEqual(['Acme Robotics', 'Acme Robotics Production', 'Acme Robotics Research']);
    const open = await queryRows<{ org: string; kind: string; subject_id: string }>(
      db(),
      sql`select o.name as org, f.kind, f.subject_id from findings f join organizations o on o.id = f.org_id
          where f.status = 'open'`,
    );
    for (const s of sandbox.siblings)
      expect(
        open
          .filter((f) => f.org === s.name)
          .map((f) => `${f.kind} ${f.subject_id}`)
          .sort(),
      ).toEqual(s.expectedFindings.map((f) => `${f.kind} ${f.subjectId}`).sort());
    const company = open.filter((f) => f.org === 'Acme Robotics').map((f) => `${f.kind} ${f.subject_id}`);
    for (const e of sandbox.scenario.expectedFindings) expect(company).toContain(`${e.kind} ${e.subjectId}`);
  });

  it("one engineer's DM holds items of two organisations, each labelled", async () => {
    const [production] = sandbox.siblings;
    const email = production!.people[0]!.email;
    const slackId = sandbox.slack.state.userByEmail(email)!.id;
    const texts = dmMessages(sandbox.slack, slackId).map((m) => blockText(m.blocks));
    expect(texts.some((t) => t.includes('*Acme Robotics Production*') && t.includes('production-batch'))).toBe(true);
    expect(texts.some((t) => t.includes('*Acme Robotics*'))).toBe(true);
  });

  it('the organisation panel names every organisation and counts all of them', async () => {
    const res = await fetch(new URL('api/org', sandbox.url));
    const body = (await res.json()) as {
      organisation: { name: string; stats: Array<{ label: string; value: number }> };
    };
    expect(body.organisation.name).toBe(
      'Acme Robotics, Acme Robotics Production, Acme Robotics Research (simulated Claude organisations under one parent)',
    );
    const seats = body.organisation.stats.find((x) => x.label === 'seats')!.value;
    const all = sandbox.anthropic.organizations().reduce((n, o) => n + o.state.activeUsers().length, 0);
    expect(seats).toBe(all);
  });
});
