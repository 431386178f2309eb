import { PassThrough, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Executor } from '../db/types.js';
import { csvRecord } from './csv.js';
import { countDecisions, currentSeq, exportDecisions, type DecisionQuery, type DecisionRecord } from './decisions.js';
import { EXPORT_COLUMNS, toExportRow } from './export-row.js';
import { writeChunk } from './stream.js';
import { verifyAuditChain, type ChainHead, type ChainProblem, type VerifyResult } from './verify.js';

export { exportDecisions, countDecisions, type DecisionQuery, type DecisionRecord } from './decisions.js';
export { EXPORT_COLUMNS, toExportRow, type ExportRow } from './export-row.js';

export type ExportFormat = 'csv' | 'json';

/** CSV: a header line, then one record per decision. Does not end `out`. */
export async function toCsv(records: AsyncIterable<DecisionRecord>, out: Writable): Promise<number> {
  await writeChunk(out, csvRecord(EXPORT_COLUMNS));
  let n = 0;
  for await (const d of records) {
    const row = toExportRow(d);
    await writeChunk(out, csvRecord(EXPORT_COLUMNS.map((c) => row[c])));
    n++;
  }
  return n;
}

/** The JSON export's header: what period, when, how many rows, and whether the chain held. */
export interface JsonExportHeader {
  format: 'steward.audit.decisions/1';
  generated_at: string;
  period: { since: string | null; until: string | null };
  review_item_id: string | null;
  /** Rows up to this seq were read: the snapshot the export reflects. */
  snapshot_seq: number;
  row_count: number;
  chain: ChainSummary;
}

export interface ChainSummary {
  ok: boolean;
  rows_verified: number;
  /** Keep it: `steward audit verify --anchor <seq>:<hash>` later proves no row up to it was removed. */
  head: ChainHead | null;
  problem: ChainProblem | null;
}

export function chainSummary(v: VerifyResult): ChainSummary {
  return { ok: v.ok, rows_verified: v.rows, head: v.head, problem: v.ok ? null : v.problem };
}

/**
 * JSON: the header's fields first, then `rows`, one decision per line, each with the
 * export columns plus the full evidence object. Streamed; does not end `out`.
 */
export async function toJson(
  records: AsyncIterable<DecisionRecord>,
  out: Writable,
  header: JsonExportHeader,
): Promise<number> {
  const head = JSON.stringify(header, null, 2);
  await writeChunk(out, `${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n  "rows": [`);
  let n = 0;
  for await (const d of records) {
    const row = { ...toExportRow(d), evidence: d.evidence };
    await writeChunk(out, `${n === 0 ? '\n' : ',\n'}    ${JSON.stringify(row)}`);
    n++;
  }
  await writeChunk(out, n === 0 ? ']\n}\n' : '\n  ]\n}\n');
  return n;
}

export interface ExportOptions extends DecisionQuery {
  format: ExportFormat;
  /** The export's generation time (defaults to now). */
  now: Date;
}

export interface ExportSummary {
  format: ExportFormat;
  rows: number;
  snapshotSeq: number;
  generatedAt: Date;
  /** JSON only: the chain verified up to the snapshot. */
  chain: VerifyResult | null;
}

/**
 * The whole export, as `steward audit export` and `/steward export` produce it: pins a
 * snapshot (the newest seq now), verifies the chain up to it for JSON, streams the rows.
 * Does not end `out`.
 */
export async function exportAudit(db: Executor, opts: ExportOptions, out: Writable): Promise<ExportSummary> {
  const generatedAt = opts.now;
  const snapshotSeq = opts.toSeq ?? (await currentSeq(db));
  const query: DecisionQuery = { ...opts, toSeq: snapshotSeq };
  if (opts.format === 'csv') {
    const rows = await toCsv(exportDecisions(db, query), out);
    return { format: 'csv', rows, snapshotSeq, generatedAt, chain: null };
  }
  const chain = await verifyAuditChain(db, { toSeq: snapshotSeq });
  const header: JsonExportHeader = {
    format: 'steward.audit.decisions/1',
    generated_at: generatedAt.toISOString(),
    period: { since: opts.since?.toISOString() ?? null, until: opts.until?.toISOString() ?? null },
    review_item_id: opts.reviewItemId ?? null,
    snapshot_seq: snapshotSeq,
    row_count: await countDecisions(db, query),
    chain: chainSummary(chain),
  };
  const rows = await toJson(exportDecisions(db, query), out, header);
  return { format: 'json', rows, snapshotSeq, generatedAt, chain };
}

/**
 * The whole export in memory, for handing to an uploader (e.g. `/steward export [days]`
 * posting the CSV to Slack). Prefer `exportAudit` with a stream for large periods.
 */
export async function exportAuditToBuffer(
  db: Executor,
  opts: ExportOptions,
): Promise<{ content: Buffer; filename: string; summary: ExportSummary }> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const summary = await exportAudit(db, opts, sink);
  sink.end();
  await finished(sink);
  const day = (d: Date | undefined) => (d ? d.toISOString().slice(0, 10) : undefined);
  const span = [day(opts.since) ?? 'start', day(opts.until ?? summary.generatedAt)].join('_');
  const filename = `steward-audit-${opts.reviewItemId ? `${opts.reviewItemId.replace(/[^\w.-]/g, '_')}-` : ''}${span}.${opts.format}`;
  return { content: Buffer.concat(chunks), filename, summary };
}
