import type { CorrelationResult, OrgRef } from '../../correlate/service.js';
import { findingsTable } from '../../correlate/table.js';
import { parseTarget, type Target } from '../../domain/target.js';
import { isStewardError } from '../../domain/errors.js';
import { UsageError, type CliCommand } from '../types.js';

const USAGE = `steward correlate [--dry-run] [--json] [--target <target>]

Runs correlation now: every finding of the policy in force (STEWARD_POLICY, or the
defaults) with its evidence and accountable owner. Findings are stored, ones that no
longer hold are resolved, and the run is audited.

Options:
  --dry-run          compute and print everything, change nothing
  --json             print the full result (findings with their evidence) as JSON
  --target <target>  only this access: all (default), user:<id>, email:<address>,
                     key:<id>, workspace:<id> or org:<id or name>`;

interface Args {
  dryRun: boolean;
  json: boolean;
  target: Target;
}

function parseArgs(args: string[]): Args {
  const out: Args = { dryRun: false, json: false, target: { kind: 'all' } };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--dry-run') out.dryRun = true;
    else if (a === '--json') out.json = true;
    else if (a === '--target' || a.startsWith('--target=')) {
      const value = a === '--target' ? args[++i] : a.slice('--target='.length);
      if (!value) throw new UsageError('--target needs a value');
      try {
        out.target = parseTarget(value);
      } catch (err) {
        throw new UsageError(isStewardError(err) ? err.message : String(err));
      }
    } else throw new UsageError(`unexpected argument ${a}`);
  }
  return out;
}

/** An organisation as lines name it: its name, or "not identified" for rows from before its key was asked. */
const orgName = (o: OrgRef) => o.name ?? (o.id || 'not identified');

function summary(r: CorrelationResult): string {
  const what = r.dryRun ? 'Dry run (nothing written)' : 'Correlation';
  return (
    `${what} at ${r.runAt}, target ${r.target}: ${r.organizations.length > 1 ? `${r.organizations.length} organisations, ` : ''}${r.findings.length} finding${r.findings.length === 1 ? '' : 's'} ` +
    `(${r.opened.length} new, ${r.refreshed.length} refreshed), ${r.resolved.length} resolved, ${r.suppressed.length} suppressed.`
  );
}

export const correlateCommand: CliCommand = {
  name: 'correlate',
  summary: 'compute findings now (or preview them with --dry-run)',
  usage: USAGE,
  async run(args, ctx) {
    const opts = parseArgs(args);
    const { services } = await ctx.steward([]);
    const result = await services.correlation.correlate({ dryRun: opts.dryRun, target: opts.target });
    if (opts.json) {
      ctx.io.out(JSON.stringify(result, null, 2));
      return 0;
    }
    ctx.io.out(summary(result));
    for (const notice of result.notices) ctx.io.out(`! ${notice}`);
    // With several organisations (issue 17) every line names the organisation it is about.
    const several = result.organizations.length > 1;
    const org = (o: OrgRef) => (several ? `${orgName(o)}  ` : '');
    if (result.findings.length > 0) {
      ctx.io.out('');
      for (const line of findingsTable(result.findings, several ? (f) => orgName(f.org) : undefined)) ctx.io.out(line);
    }
    if (result.resolved.length > 0) {
      ctx.io.out('');
      ctx.io.out(result.dryRun ? 'Would resolve:' : 'Resolved:');
      for (const r of result.resolved)
        ctx.io.out(
          `  ${org(r.org)}${r.kind.padEnd(22)}  ${`${r.subject.type}:${r.subject.id}`.padEnd(46)}  ${r.reason}`,
        );
    }
    if (result.suppressed.length > 0) {
      ctx.io.out('');
      ctx.io.out('Suppressed (not reviewed):');
      for (const s of result.suppressed) {
        ctx.io.out(
          `  ${org(s.org)}${s.kind.padEnd(22)}  ${`${s.subject.type}:${s.subject.id}`.padEnd(46)}  ${s.by} until ${s.until.slice(0, 10)}: ${s.reason}`,
        );
      }
    }
    return 0;
  },
};
