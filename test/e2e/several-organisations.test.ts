import { PassThrough } from 'node:stream';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAuditToBuffer } from '../../src/audit/export.js';
import { writeReport } from '../../src/audit/report.js';
import { verifyAuditChain } from '../../src/audit/verify.js';
import { auditLog, findings, outboxActions, reviewItems } from '../../src/db/schema/index.js';
import type { SimOrganization } from '../../src/sim/anthropic/index.js';
import { parseCsv } from '../audit/csv-reader.js';
import { eventually } from '../helpers/eventually.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { blockText, dmMessages } from '../helpers/slack-inspect.js';

/**
 * Issue 17, done when: two organisations under one parent, findings in both, one person (one
 * email, one Slack account) reviewing items of both in one DM conversation, each labelled with
 * its organisation; a revocation in the second organisation reaching only that organisation's
 * Admin API (the simulator's per-organisation state and request log); exports and the HTML
 * report naming the organisation of every row; and the audit chain verifying throughout. All
 * through the real Bolt receiver, WebClient and SDK against the two simulators.
 */
describe('two organisations, one Steward', () => {
  let h: Harness;
  let enterprise: SimOrganization;
  let production: SimOrganization;
  let annSlack: string;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness({
      now: '2026-11-20T12:00:00Z',
      anthropic: { orgName: 'Acme Enterprise' },
      organizations: [{ name: 'Acme Production' }],
    });
    [enterprise, production] = h.anthropic.organizations() as [SimOrganization, SimOrganization];
    annSlack = h.slack.addUser({ name: 'ann', email: 'ann@acme.test', real_name: 'Ann' }).id;
    // The same person in both organisations (each its own user id), each with a key nobody used.
    for (const [org, keyName] of [
      [enterprise, 'enterprise-ci'],
      [production, 'prod-batch'],
    ] as const) {
      const ann = org.state.addUser({ email: 'ann@acme.test', name: 'Ann', addedAt: '2026-05-01T00:00:00Z' });
      org.state.addUser({ email: `admin@${org.name.split(' ')[1]!.toLowerCase()}.test`, role: 'admin' });
      keys[keyName] = org.state.addApiKey({
        name: keyName,
        createdAt: '2026-06-01T00:00:00Z',
        createdBy: { id: ann.id, type: 'user' },
        principal: { type: 'user_actor', user_id: ann.id },
      }).id;
    }
  }, 60_000);
  afterAll(async () => h?.stop());

  it('syncs each organisation with its own key and raises findings in both', async () => {
    const report = await h.steward.services.sync.run({ sources: ['directory', 'key_usage'] });
    expect(report.organizations?.map((o) => [o.name, o.state])).toEqual([
      ['Acme Enterprise', 'ok'],
      ['Acme Production', 'ok'],
    ]);
    expect(report.sources.filter((s) => s.status === 'failed')).toEqual([]);
    await h.steward.runJob('correlate');
    const dormant = await h.db.db.select().from(findings).where(eq(findings.kind, 'dormant_key'));
    expect(new Map(dormant.map((f) => [f.subjectId, f.orgId]))).toEqual(
      new Map([
        [keys['enterprise-ci'], enterprise.uuid],
        [keys['prod-batch'], production.uuid],
      ]),
    );
  });

  it('one person reviews items of both organisations in one DM, each labelled with its organisation', async () => {
    const dms = await eventually(() => {
      const m = dmMessages(h.slack, annSlack);
      return m.some((x) => blockText(x.blocks).includes('prod-batch')) &&
        m.some((x) => blockText(x.blocks).includes('enterprise-ci'))
        ? m
        : undefined;
    });
    expect(new Set(dms.map((m) => m.channel)).size).toBe(1);
    const text = (name: string) => blockText(dms.find((m) => blockText(m.blocks).includes(name))!.blocks);
    expect(text('enterprise-ci')).toContain('*Acme Enterprise* · API key `enterprise-ci`');
    expect(text('prod-batch')).toContain('*Acme Production* · API key `prod-batch`');
    const items = await h.db.db.select().from(reviewItems);
    const anns = items.filter((i) => i.assigneeSlackId === annSlack && i.kind === 'dormant_key');
    expect(new Map(anns.map((i) => [i.subjectId, i.orgId]))).toEqual(
      new Map([
        [keys['enterprise-ci'], enterprise.uuid],
        [keys['prod-batch'], production.uuid],
      ]),
    );
    // Her other items (her seat in each) are labelled too, each with its own organisation.
    expect(new Set(items.filter((i) => i.assigneeSlackId === annSlack).map((i) => i.orgId))).toEqual(
      new Set([enterprise.uuid, production.uuid]),
    );
  });

  it('a revocation in the second organisation reaches only its Admin API', async () => {
    const msg = dmMessages(h.slack, annSlack).find((m) => blockText(m.blocks).includes('prod-batch'))!;
    const updatesBefore = h.anthropic.calls.byOp('apiKeys.update').length;
    await h.slack.driver.clickButton({
      userId: annSlack,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_revoke',
    });
    await eventually(() => production.state.apiKeys.get(keys['prod-batch']!)?.status === 'inactive');
    const updates = h.anthropic.calls.byOp('apiKeys.update').slice(updatesBefore);
    expect(updates.length).toBeGreaterThan(0);
    expect(new Set(updates.map((c) => c.org))).toEqual(new Set([production.uuid]));
    expect(enterprise.state.apiKeys.get(keys['enterprise-ci']!)?.status).toBe('active');
    const [action] = await h.db.db.select().from(outboxActions).where(eq(outboxActions.targetId, keys['prod-batch']!));
    expect(action?.orgId).toBe(production.uuid);
    await eventually(async () => {
      const [a] = await h.db.db.select().from(outboxActions).where(eq(outboxActions.id, action!.id));
      return a?.status === 'succeeded';
    });
    const executed = await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'action.executed'));
    expect(executed.map((a) => a.orgId)).toEqual([production.uuid]);
  });

  it('/steward status breaks the counts down by organisation', async () => {
    const r = await h.slack.driver.slashCommand({ userId: h.admin.id, command: '/steward', text: 'status' });
    const text = await eventually(() => {
      const b = r.responses().at(-1)?.body as { text?: string } | undefined;
      return b?.text?.includes('Open reviews') ? b.text : undefined;
    });
    const open = await h.db.db.select().from(reviewItems).where(eq(reviewItems.status, 'open'));
    const per = (org: SimOrganization) => open.filter((i) => i.orgId === org.uuid).length;
    expect(per(enterprise)).toBeGreaterThan(0);
    expect(text).toContain(
      `By organisation: Acme Enterprise: ${per(enterprise)} open (0 overdue), ` +
        `${(await h.db.db.select().from(findings).where(eq(findings.orgId, enterprise.uuid))).filter((f) => f.status === 'open').length} findings · ` +
        `Acme Production: ${per(production)} open (0 overdue)`,
    );
    // The oldest open reviews are each named with their organisation.
    const body = r.responses().at(-1)?.body as { blocks?: Array<{ text?: { text?: string } }> };
    const oldest = (body.blocks ?? [])
      .map((x) => x.text?.text ?? '')
      .find((t) => t.startsWith('*Oldest open reviews*'))!;
    const lines = oldest.split('\n').slice(1);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^• _Acme (Enterprise|Production)_ · /);
  });

  it('/steward findings names the organisation of each finding', async () => {
    const r = await h.slack.driver.slashCommand({ userId: h.admin.id, command: '/steward', text: 'findings' });
    const text = await eventually(() => {
      const b = r.responses().at(-1)?.body as { blocks?: Array<{ text?: { text?: string } }> } | undefined;
      const all = (b?.blocks ?? []).map((x) => x.text?.text ?? '').join('\n');
      return all.includes('Open findings') ? all : undefined;
    });
    expect(text).toContain(`_Acme Production_ · *dormant_key* prod-batch \`${keys['prod-batch']}\``);
    expect(text).toContain(`_Acme Enterprise_ · *dormant_key* enterprise-ci \`${keys['enterprise-ci']}\``);
  });

  it('/steward review org:<name> reviews that organisation only; an unknown one is named', async () => {
    const said = async (text: string) => {
      const r = await h.slack.driver.slashCommand({ userId: h.admin.id, command: '/steward', text });
      expect(r.status).toBe(200);
      return eventually(() => {
        const b = r.responses().at(-1)?.body as { text?: string } | undefined;
        return b?.text && !b.text.includes('Reviewing…') ? b.text : undefined;
      });
    };
    const open = (await h.db.db.select().from(findings).where(eq(findings.orgId, production.uuid))).filter(
      (f) => f.status === 'open',
    );
    expect(open.length).toBeGreaterThan(0);
    expect(await said('review org:Acme Production')).toContain(
      `*Review of org:Acme Production*: ${open.length} open finding${open.length === 1 ? '' : 's'}`,
    );
    expect(await said('review org:"acme production"')).toContain(`*Review of org:acme production*: ${open.length}`);
    expect(await said('review org:Acme Prodution')).toContain('No organisation has the id or name "Acme Prodution"');
  });

  it('a campaign scoped to one organisation (org:<id>) certifies its access only, each item labelled', async () => {
    const r = await h.slack.driver.slashCommand({
      userId: h.admin.id,
      command: '/steward',
      text: `campaign start org:${production.uuid}`,
    });
    expect(r.status).toBe(200);
    await eventually(() => {
      const b = r.responses().at(-1)?.body as { text?: string } | undefined;
      return b?.text?.includes('is open') ? b.text : undefined;
    });
    const certs = (await h.db.db.select().from(reviewItems)).filter((i) => i.kind === 'certification');
    expect(certs.length).toBeGreaterThan(0);
    expect(new Set(certs.map((i) => i.orgId))).toEqual(new Set([production.uuid]));
    for (const c of certs)
      expect((c.evidenceShown as { organization?: { name: string } }).organization?.name).toBe('Acme Production');
    const unknown = await h.slack.driver.slashCommand({
      userId: h.admin.id,
      command: '/steward',
      text: 'campaign start org:no-such-org',
    });
    const said = await eventually(() => {
      const b = unknown.responses().at(-1)?.body as { text?: string } | undefined;
      return b?.text && !b.text.includes('One moment') ? b.text : undefined;
    });
    expect(said).toContain('No organisation has the id or name "no-such-org"');
  });

  it('exports (CSV, JSON) and the HTML report name the organisation of every row; the chain verifies', async () => {
    const now = h.clock.now();
    const csv = await exportAuditToBuffer(h.db.db, { format: 'csv', now });
    const [header, ...rows] = parseCsv(csv.content.toString('utf8'));
    const col = (name: string) => header!.indexOf(name);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => [r[col('organization')], r[col('organization_id')], r[col('subject')]])).toEqual([
      ['Acme Production', production.uuid, 'prod-batch'],
    ]);

    const json = await exportAuditToBuffer(h.db.db, { format: 'json', now });
    const doc = JSON.parse(json.content.toString('utf8')) as {
      chain: { ok: boolean };
      rows: Array<{ organization: string; organization_id: string }>;
    };
    expect(doc.chain.ok).toBe(true);
    expect(doc.rows.map((r) => [r.organization, r.organization_id])).toEqual([['Acme Production', production.uuid]]);

    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const summary = await writeReport(h.db.db, { now }, out);
    out.end();
    const html = Buffer.concat(chunks).toString('utf8');
    expect(summary.decisions).toBe(1);
    expect(html).toContain(`data-org="${production.uuid}"`);
    expect(html).toContain(`Acme Production (${production.uuid})`);

    expect(await verifyAuditChain(h.db.db)).toMatchObject({ ok: true });
  });
});
