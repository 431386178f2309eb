import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/audit/append.js';
import { runCli } from '../../src/cli/run.js';
import { campaignItems, campaigns, reviewItems } from '../../src/db/schema/index.js';
import { createCliDatabase, makeEvidence, memoryIo, type CliDatabase } from '../audit/fixtures.js';

// Each CLI run opens (and on PGlite, boots) the database from its environment: slow on a busy machine.
describe('steward audit campaign (CLI)', { timeout: 120_000 }, () => {
  let d: CliDatabase;
  let dir: string;
  const cli = async (...args: string[]) => {
    const m = memoryIo();
    const code = await runCli(['audit', 'campaign', ...args], d.env, m.io);
    return { code, out: m.out, err: m.err };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-campaign-cli-'));
    d = await createCliDatabase();
    await d.use(async (db) => {
      const at = new Date('2026-11-01T09:00:00Z');
      const { seq } = await appendAudit(db.db, {
        actor: { type: 'slack_user', slackId: 'U0ADA' },
        action: 'campaign.opened',
        outcome: 'opened',
        at,
      });
      const [c] = await db.db
        .insert(campaigns)
        .values({
          number: 1,
          scope: 'keys',
          startedVia: 'command',
          startedBySlackId: 'U0ADA',
          startedAt: at,
          dueAt: new Date('2026-11-15T00:00:00Z'),
          auditFromSeq: seq,
        })
        .returning();
      const evidence = makeEvidence({ kind: 'certification' });
      const [r] = await db.db
        .insert(reviewItems)
        .values({
          fingerprint: 'certification:api_key:api_key:apikey_01',
          kind: 'certification',
          subjectType: 'api_key',
          subjectId: evidence.subject.id,
          status: 'open',
          route: 'dm',
          assigneeSlackId: 'U0BOB',
          dueAt: c!.dueAt,
          evidenceShown: evidence as unknown as Record<string, unknown>,
        })
        .returning();
      await db.db.insert(campaignItems).values({
        campaignId: c!.id,
        accessKind: 'api_key',
        subjectType: 'api_key',
        subjectId: evidence.subject.id,
        reviewItemId: r!.id,
        via: 'opened',
      });
    });
  }, 120_000);
  afterAll(async () => {
    await d?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the HTML report: the campaign, its items with evidence, the chain verified', async () => {
    const out = join(dir, 'c1.html');
    const r = await cli('1', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/Campaign #1 report written to .*c1\.html: 1 items, audit rows 1–1/);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('data-chain-ok="true"');
    expect(html).toContain('data-outcome="open"');
    expect(html).toContain('U0BOB');
  });

  it('prints CSV and JSON', async () => {
    const csv = await cli('#1', '--format', 'csv');
    expect(csv.code).toBe(0);
    expect(csv.out[0]).toMatch(/^"campaign","scope","access_kind"/);
    expect(csv.out).toHaveLength(2);
    const json = await cli('1', '--format', 'json');
    const doc = JSON.parse(json.out.join('\n')) as {
      campaign: { scope: string };
      items: unknown[];
      chain: { ok: boolean };
    };
    expect(doc).toMatchObject({ campaign: { scope: 'keys' }, chain: { ok: true } });
    expect(doc.items).toHaveLength(1);
  });

  it('says what is wrong with bad input and writes nothing', async () => {
    expect((await cli('9')).code).toBe(1);
    expect((await cli('9')).err[0]).toBe('There is no campaign 9.');
    const bad = await cli('1', '--format', 'pdf');
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toContain('--format must be html, csv or json');
    expect((await cli()).code).toBe(2);
  });
});
