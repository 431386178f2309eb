import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { exportAudit, type ExportFormat } from '../../audit/export.js';
import { parseDay } from '../../audit/period.js';
import { writeReport } from '../../audit/report.js';
import {
  formatChainHead,
  parseChainHead,
  verifyAuditChain,
  type ChainHead,
  type VerifyResult,
} from '../../audit/verify.js';
import { describeMac } from '../../audit/verify-summary.js';
import { verifyWitnesses } from './audit-witness.js';
import { campaignReportCmd } from './campaign.js';
import type { Executor } from '../../db/types.js';
import { UsageError, type CliCommand, type CliContext, type CliIo } from '../types.js';

const USAGE = `steward audit verify [--anchor <seq>:<hash>]... [--witness] [--batch-size <n>]
steward audit export --since <date> [--until <date>] [--format csv|json] [--review <id>] [--out <file>]
steward audit report --since <date> [--until <date>] [--review <id>] --out <file.html>
steward audit campaign <number> [--format html|csv|json] [--out <file>]

verify   Walks the hash chain and reports the first altered, missing, replaced or
         inserted row (exit 1), or "N rows verified" and the head (exit 0). With
         STEWARD_AUDIT_KEY set it also checks every keyed row's MAC (a row forged
         without the key: exit 1) and says which rows predate the key. Record the
         head outside the database; passing it back with --anchor proves later that no
         row up to it was removed or the chain rebuilt. --witness does this with every
         head Steward posted to the security channel (the audit_witness job), read back
         through the Slack API: each violation is reported with the post's time (exit 1).
export   One row per decision with the evidence shown, the decider, the action result
         and the audit hash. CSV (RFC 4180, formula-safe) or JSON (with a header
         carrying the period and the chain verification). Stdout unless --out.
report   A self-contained HTML evidence page (summary, per-decision evidence, weekly
         activity charts, chain verification) that opens offline.
campaign A certification campaign's report: scope, who started it, when, due and
         closed; every item with its reviewer, outcome, reason, time and the evidence
         shown; the audit-chain range holding it and its verification (default html).

Dates are YYYY-MM-DD (UTC; --until includes that whole day) or ISO 8601 with a zone.
--since may be left out when --review names one review item. Export and report exit 1
when the chain they verify is broken (the file is still written, saying so).`;

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'verify the audit chain; export decisions with their evidence (CSV, JSON, HTML)',
  usage: USAGE,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'verify':
        return verify(rest, ctx);
      case 'export':
        return exportCmd(rest, ctx);
      case 'report':
        return report(rest, ctx);
      case 'campaign':
        return campaignReportCmd(rest, ctx);
      case undefined:
        throw new UsageError('missing subcommand: verify, export, report or campaign');
      default:
        throw new UsageError(`unknown subcommand "${sub}": expected verify, export, report or campaign`);
    }
  },
};

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    // parseArgs names the offending flag in its message.
    throw new UsageError((err as Error).message);
  }
}

async function verify(args: string[], ctx: CliContext): Promise<number> {
  const v = parse(args, {
    anchor: { type: 'string', multiple: true },
    witness: { type: 'boolean' },
    'batch-size': { type: 'string' },
  });
  const anchors: ChainHead[] = (v.anchor ?? []).map((a) => {
    const head = parseChainHead(a);
    if (!head) throw new UsageError(`--anchor must be <seq>:<sha256 hex>, as printed by verify; got "${a}"`);
    return head;
  });
  const batchSize = v['batch-size'] === undefined ? undefined : positiveInt('--batch-size', v['batch-size']);
  // The witness is read from the security channel with the bot token.
  if (!v.witness) {
    const database = await ctx.database(ctx.config([]));
    return verifyChain(database.db, database.location, { anchors, batchSize }, ctx.io);
  }
  const { config, database, services } = await ctx.steward(['slack', 'security']);
  const chain = await verifyChain(database.db, database.location, { anchors, batchSize }, ctx.io);
  const witness = await verifyWitnesses(ctx, config, database.db, services.witnessBoard);
  return Math.max(chain, witness);
}

async function verifyChain(
  db: Executor,
  location: string,
  opts: { anchors: ChainHead[]; batchSize: number | undefined },
  io: CliIo,
): Promise<number> {
  const { anchors, batchSize } = opts;
  const started = performance.now();
  const result = await verifyAuditChain(db, batchSize === undefined ? { anchors } : { anchors, batchSize });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (!result.ok) {
    io.err(`Audit chain broken at seq ${result.problem.seq} (${result.problem.kind}): ${result.problem.message}`);
    io.err(`${result.rows} row${result.rows === 1 ? '' : 's'} verified before it (${location}).`);
    return 1;
  }
  if (!result.head) {
    io.out(`0 rows verified: the audit log is empty (${location}).`);
    io.out(describeMac(result.mac, 0));
    return 0;
  }
  const anchored = anchors.length > 0 ? `, ${anchors.length} anchor${anchors.length === 1 ? '' : 's'} matched` : '';
  io.out(`${result.rows} rows verified in ${seconds} s${anchored} (${location}).`);
  io.out(`Head: ${formatChainHead(result.head)}`);
  io.out(describeMac(result.mac, result.rows));
  io.out(
    `Record the head outside this database; "steward audit verify --anchor ${formatChainHead(result.head)}" later proves no row up to it was changed or removed.`,
  );
  return 0;
}

interface PeriodFlags {
  since?: string | undefined;
  until?: string | undefined;
  review?: string | undefined;
}

function period(v: PeriodFlags): {
  since: Date | undefined;
  until: Date | undefined;
  reviewItemId: string | undefined;
} {
  if (v.review !== undefined && v.review.trim() === '') throw new UsageError('--review needs a review item id');
  if (v.since === undefined && v.review === undefined)
    throw new UsageError('--since <date> is required (or --review <id>)');
  const since = v.since === undefined ? undefined : date('--since', v.since, 'start');
  const until = v.until === undefined ? undefined : date('--until', v.until, 'end');
  if (since && until && until <= since) throw new UsageError('--until must be after --since');
  return { since, until, reviewItemId: v.review };
}

function date(flag: string, text: string, edge: 'start' | 'end'): Date {
  const at = parseDay(text, edge);
  if (!at) throw new UsageError(`${flag} must be a date (YYYY-MM-DD) or an ISO 8601 time with a zone; got "${text}"`);
  return at;
}

function positiveInt(flag: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new UsageError(`${flag} must be a positive integer; got "${text}"`);
  return Number(text);
}

const periodOptions = {
  since: { type: 'string' },
  until: { type: 'string' },
  review: { type: 'string' },
  out: { type: 'string' },
} as const;

async function exportCmd(args: string[], ctx: CliContext): Promise<number> {
  const v = parse(args, { ...periodOptions, format: { type: 'string' } });
  const format = (v.format ?? 'csv') as ExportFormat;
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json; got "${v.format}"`);
  const p = period(v);
  const database = await ctx.database(ctx.config([]));
  const summary = await toDestination(v.out, ctx.io, (out) =>
    exportAudit(database.db, { ...p, format, now: ctx.now() }, out),
  );
  const where = v.out ? ` written to ${v.out}` : '';
  const line = `${summary.rows} decision${summary.rows === 1 ? '' : 's'}${where} (${format}, audit rows up to seq ${summary.snapshotSeq}).`;
  if (v.out) ctx.io.out(line);
  else ctx.io.err(line);
  return chainExit(summary.chain, ctx.io);
}

async function report(args: string[], ctx: CliContext): Promise<number> {
  const v = parse(args, periodOptions);
  if (!v.out) throw new UsageError('--out <file.html> is required');
  const p = period(v);
  const database = await ctx.database(ctx.config([]));
  const summary = await toDestination(v.out, ctx.io, (out) => writeReport(database.db, { ...p, now: ctx.now() }, out));
  ctx.io.out(
    `Report written to ${v.out}: ${summary.decisions} decision${summary.decisions === 1 ? '' : 's'} on ${summary.reviewedItems} item${summary.reviewedItems === 1 ? '' : 's'}, ` +
      `audit rows up to seq ${summary.snapshotSeq}.`,
  );
  return chainExit(summary.chain, ctx.io);
}

function chainExit(chain: VerifyResult | null, io: CliIo): number {
  if (!chain || chain.ok) return 0;
  io.err(`Warning: audit chain broken at seq ${chain.problem.seq} (${chain.problem.kind}): ${chain.problem.message}`);
  return 1;
}

/**
 * Runs `write` against the file (written beside it, renamed into place when complete,
 * so a failed export never leaves a truncated evidence file) or against stdout.
 */
async function toDestination<T>(path: string | undefined, io: CliIo, write: (out: Writable) => Promise<T>): Promise<T> {
  if (path === undefined) {
    const out = lineWriter(io);
    const result = await write(out);
    out.end();
    await finished(out);
    return result;
  }
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  try {
    const result = await write(out);
    out.end();
    await finished(out);
    await rename(partial, path);
    return result;
  } catch (err) {
    out.destroy();
    await rm(partial, { force: true });
    throw err;
  }
}

/** Stdout through the CLI's line-based io: complete lines are passed on as they arrive. */
function lineWriter(io: CliIo): Writable {
  let buffered = '';
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _enc, done) {
      buffered += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      const cut = buffered.lastIndexOf('\n');
      if (cut >= 0) {
        io.out(buffered.slice(0, cut));
        buffered = buffered.slice(cut + 1);
      }
      done();
    },
    final(done) {
      if (buffered) io.out(buffered);
      done();
    },
  });
}
