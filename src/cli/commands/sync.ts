import { userInfo } from 'node:os';
import { orgKeyProblems } from '../../db/organization-keys.js';
import { progressLine, resultLine } from '../../sync/progress-line.js';
import type { SourceName } from '../../sync/types.js';
import { UsageError, type CliCommand } from '../types.js';

const NAMES: Record<string, SourceName> = {
  directory: 'directory',
  activities: 'activities',
  'key-usage': 'key_usage',
  'seat-usage': 'seat_usage',
  'claude-code': 'claude_code',
};

const USAGE = `steward sync [directory] [activities] [key-usage] [seat-usage] [claude-code] [--json] [--accept-removals]

Reads the Claude organisation into the database: the directory (members, invites,
workspaces, service accounts, API keys), the Compliance activity feed, usage per API
key per day, seat activity per member per day (Enterprise) and Claude Code use per
member and key per day. With no source named, all run, in that order. Each source resumes from its checkpoint; a failing source
is reported and the others still run.

Prints a progress line per source as it goes (counts, rate, and on the first feed
catch-up the share done and an ETA), then one result line per source.

A directory sync that would mark more than a policy share of the known members,
workspaces, memberships or API keys removed at once (sync.removal_brake: more than
20% and at least 5 by default) applies none of those removals: it holds them, records
why and tells the security channel.

Options:
  --json              print the final report as JSON instead of result lines
  --accept-removals   first apply the removals the brake holds (as they were held;
                      rows seen again since are kept), then sync

Exit status: 0 when no source failed ("not available" is not a failure), 1 otherwise.`;

/** Progress lines at most this often per source; result lines always. */
const PROGRESS_EVERY_MS = 1000;

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'read the directory, activity feed and usage from Anthropic now',
  usage: USAGE,
  async run(args, ctx) {
    let json = false;
    let accept = false;
    const sources: SourceName[] = [];
    for (const a of args) {
      if (a === '--json') json = true;
      else if (a === '--accept-removals') accept = true;
      else if (NAMES[a]) sources.push(NAMES[a]);
      else throw new UsageError(`unknown source "${a}" (expected directory, activities, key-usage or seat-usage)`);
    }
    const { services } = await ctx.steward(['anthropic']);
    if (accept) {
      const accepted = await services.sync.acceptRemovals({ kind: 'cli', user: osUser() });
      if (!accepted.length) ctx.io.out('No removals are held back; nothing to accept.');
      for (const a of accepted)
        ctx.io.out(
          `Accepted held removals of ${a.listing}: ${a.applied} of ${a.held} marked removed (the rest were seen again).`,
        );
    }

    // Ctrl-C stops between requests; what was committed stays, and the next run resumes.
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    const last = new Map<string, number>();
    try {
      const report = await services.sync.run({
        ...(sources.length ? { sources } : {}),
        signal: abort.signal,
        onProgress(p) {
          const at = performance.now();
          if (at - (last.get(p.source) ?? -Infinity) < PROGRESS_EVERY_MS && p.fraction !== 1) return;
          last.set(p.source, at);
          if (!json) ctx.io.out(progressLine(p));
        },
      });
      if (json) ctx.io.out(JSON.stringify(report, null, 2));
      else {
        // An organisation whose Admin key cannot read is said first: its sources read nothing of it.
        for (const p of orgKeyProblems(report.organizations ?? [])) ctx.io.out(`! ${p}`);
        for (const r of report.sources) ctx.io.out(resultLine(r));
      }
      return report.ok ? 0 : 1;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  },
};

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
