import { sql } from 'drizzle-orm';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import type { JobOutcome } from '../../src/jobs/run-job.js';
import type { SimOrganization } from '../../src/sim/anthropic/index.js';
import { knownOrgScenario } from '../../src/sim/scenarios/known-org.js';
import {
  SECOND_ORG_NAME,
  secondOrgExpectedFindings,
  seedSecondOrganizationInto,
} from '../../src/sim/scenarios/known-org/second-org.js';
import { seedKnownOrg } from '../../src/sim/scenarios/seed-sim.js';
import { eventually } from '../helpers/eventually.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { blockText, dmMessages } from '../helpers/slack-inspect.js';

/**
 * The known organisation with its opt-in sibling (issue 17): both served by the simulator's
 * parent, Steward configured with both Admin keys and the parent's Compliance key, one sync
 * job and one correlate job. The sibling's answer is exactly its expected findings, each
 * carrying its organisation; Carol, in both, reviews items of both in one DM. (The known
 * organisation's own answer is pinned by known-org-chain.test.ts, which does not opt in.)
 */
const scenario = knownOrgScenario();
const key = (f: { kind: string; subjectType: string; subjectId: string }) =>
  `${f.kind} ${f.subjectType} ${f.subjectId}`;

describe('the known organisation and its sibling under one parent', () => {
  let h: Harness;
  let second: SimOrganization;
  let carol: string;
  let jobs: JobOutcome[];

  beforeAll(async () => {
    h = await startHarness({
      now: scenario.now,
      policy: stringify(scenario.policy),
      anthropic: { orgType: 'enterprise', orgName: scenario.organization.name },
      organizations: [{ name: SECOND_ORG_NAME }],
    });
    second = h.anthropic.organizations()[1]!;
    carol = h.slack.addUser({ name: 'carol', email: 'carol@acme.test', real_name: 'Carol Quiet' }).id;
    h.slack.addUser({ name: 'bob', email: 'bob@acme.test', real_name: 'Bob Builder' });
    await seedKnownOrg(h.anthropic, scenario);
    // The harness added the organisation for the configuration; the scenario seeds it.
    seedSecondOrganizationInto(second, scenario.now);
    jobs = [await h.steward.runJob('sync'), await h.steward.runJob('correlate')];
  }, 120_000);
  afterAll(async () => h?.stop());

  it("raises exactly the sibling's expected findings, each in the sibling organisation", async () => {
    expect(second.name).toBe(SECOND_ORG_NAME);
    expect(jobs).toMatchObject([{ status: 'succeeded' }, { status: 'succeeded' }]);
    const rows = await queryRows<{ kind: string; subject_type: string; subject_id: string; owner: unknown }>(
      h.db.db,
      sql`select kind, subject_type, subject_id, owner from findings where org_id = ${second.uuid} order by kind, subject_id`,
    );
    const owner = (o: unknown) => (typeof o === 'string' ? JSON.parse(o) : o) as { via: string; userId: string };
    expect(rows.map((r) => `${key({ kind: r.kind, subjectType: r.subject_type, subjectId: r.subject_id })}`)).toEqual(
      secondOrgExpectedFindings().map(key).sort(),
    );
    expect(rows.map((r) => [owner(r.owner).via, owner(r.owner).userId])).toEqual(
      secondOrgExpectedFindings()
        .sort((a, b) => key(a).localeCompare(key(b)))
        .map((f) => [f.via, f.ownerUserId]),
    );
    // Nothing of the sibling leaks into the known organisation's findings, nor the reverse.
    const firstOrg = await queryRows<{ subject_id: string }>(
      h.db.db,
      sql`select subject_id from findings where org_id <> ${second.uuid}`,
    );
    expect(firstOrg.some((r) => r.subject_id.startsWith('user_02') || r.subject_id.startsWith('apikey_02'))).toBe(
      false,
    );
    expect(firstOrg.map((r) => r.subject_id)).toContain('user_01CAROL');
  });

  it('Carol, in both organisations, reviews items of both in one DM, each labelled', async () => {
    const dms = await eventually(() => {
      const m = dmMessages(h.slack, carol);
      const texts = m.map((x) => blockText(x.blocks));
      return texts.some((t) => t.includes(`*${SECOND_ORG_NAME}*`)) &&
        texts.some((t) => t.includes(`*${scenario.organization.name}*`))
        ? texts
        : undefined;
    });
    expect(dms.some((t) => t.includes(`*${SECOND_ORG_NAME}* · API key \`prod-nightly\``))).toBe(true);
    expect(new Set(dmMessages(h.slack, carol).map((m) => m.channel)).size).toBe(1);
  });
});
