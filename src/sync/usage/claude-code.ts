import type { ClaudeCodeUsage } from '../../anthropic/claude-code.js';
import { isNotAvailable } from '../../anthropic/errors.js';
import { isStewardError } from '../../domain/errors.js';
import { addDays } from '../days.js';
import type { Ingester } from '../types.js';
import { resolveClaudeCodeActors, writeClaudeCodeDay } from './claude-code-write.js';
import { createUsageIngester, type UsageIngesterDeps, type UsagePart } from './ingester.js';

/**
 * The Claude Code usage report → `claude_code_daily`, one UTC day per request (the endpoint takes
 * one day), up to yesterday. Users are named by email and keys by name; both are resolved through
 * the directory, which a full sync reads first. A key used only through Claude Code is thereby not
 * dormant. 403/404 on the first day (no Claude Code, or a key without the scope) is "not available".
 */
export function createClaudeCodeIngester(deps: UsageIngesterDeps): Ingester {
  return createUsageIngester<ClaudeCodeUsage>(deps, {
    source: 'claude_code',
    what: 'Claude Code usage',
    lagDays: 1,
    backfillDays: deps.settings.claudeCodeBackfillDays,
    parts(w) {
      const days: UsagePart[] = [];
      for (let day = w.start; day < w.end; day = addDays(day, 1)) days.push({ start: day, end: addDays(day, 1) });
      return days;
    },
    read: (admin, part) => admin.claudeCodeUsage(part.start),
    async store(tx, part, batch, now, note) {
      const { byRecord, unresolved } = await resolveClaudeCodeActors(tx, batch, deps.orgId);
      for (const n of unresolved.ambiguousKeyNames)
        note(`the key name "${n}" belongs to more than one API key: its Claude Code use is credited to none of them`);
      const unknown = unresolved.unknownKeyNames.length + unresolved.unknownEmails.length;
      const written = await writeClaudeCodeDay(tx, part.start, batch, byRecord, now, deps.orgId);
      return {
        principal_days: written,
        records_read: batch.length,
        ...(unresolved.ambiguousKeyNames.length ? { ambiguous_key_names: unresolved.ambiguousKeyNames.length } : {}),
        ...(unknown ? { unknown_actors: unknown } : {}),
      };
    },
    phase: (part) => part.start,
    partCounter: 'days',
    rateOf: 'records_read',
    settle(err, _part, index, _window, log) {
      if (index === 0 && isNotAvailable(err)) {
        log.info({ code: isStewardError(err) ? err.code : null }, 'Claude Code usage not available');
        return {
          status: 'not_available',
          notes: [`Claude Code usage not available: ${err instanceof Error ? err.message : String(err)}`],
        };
      }
      return undefined;
    },
  });
}
