import { rename, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { campaignCsv, campaignHtml, campaignJson, campaignReport } from '../../audit/campaign-report.js';
import { UsageError, type CliContext } from '../types.js';

/** `steward audit campaign <number> [--format html|csv|json] [--out <file>]` (issue 16). */
export async function campaignReportCmd(args: string[], ctx: CliContext): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { format: { type: 'string' }, out: { type: 'string' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const [ref, ...extra] = parsed.positionals;
  if (!ref || extra.length > 0 || !/^#?\d{1,9}$|^[0-9a-f-]{36}$/i.test(ref))
    throw new UsageError('campaign takes one campaign number (or id), e.g. "steward audit campaign 3"');
  const format = parsed.values.format ?? 'html';
  if (format !== 'html' && format !== 'csv' && format !== 'json')
    throw new UsageError(`--format must be html, csv or json; got "${format}"`);
  const database = await ctx.database(ctx.config([]));
  const report = await campaignReport(database.db, ref, ctx.now());
  if (!report) {
    ctx.io.err(`There is no campaign ${ref}.`);
    return 1;
  }
  const text = format === 'html' ? campaignHtml(report) : format === 'csv' ? campaignCsv(report) : campaignJson(report);
  const out = parsed.values.out;
  if (out) {
    // Written beside it and renamed, so a failed run never leaves a truncated report.
    await writeFile(`${out}.partial`, text);
    await rename(`${out}.partial`, out);
    ctx.io.out(
      `Campaign #${report.campaign.number} report written to ${out}: ${report.items.length} items, audit rows ${report.auditRange.fromSeq ?? '?'}–${report.auditRange.toSeq}.`,
    );
  } else {
    for (const line of text.replace(/\r?\n$/, '').split(/\r?\n/)) ctx.io.out(line);
  }
  if (!report.chain.ok) {
    ctx.io.err(`Warning: audit chain broken at seq ${report.chain.problem?.seq}: ${report.chain.problem?.message}`);
    return 1;
  }
  return 0;
}
