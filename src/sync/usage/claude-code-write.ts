import { sql } from 'drizzle-orm';
import type { ClaudeCodeUsage } from '../../anthropic/claude-code.js';
import { queryRows } from '../../db/client.js';
import type { Executor } from '../../db/types.js';

/** What could not be attributed, by name: reported, never guessed. */
export interface Unresolved {
  /** A key name more than one key in the directory has. */
  ambiguousKeyNames: string[];
  /** Names and emails the directory does not know (yet). */
  unknownKeyNames: string[];
  unknownEmails: string[];
}

/**
 * The Claude Code report names a user by email and an API key by *name*
 * (https://platform.claude.com/docs/en/api/admin/usage_report/retrieve_claude_code). Emails are
 * matched to members (a live one before a removed one); a key name to the one key in the
 * directory with that name. A name two keys share is ambiguous: it is reported and its use is
 * credited to neither, because crediting the wrong key would hide a dormant one.
 */
export async function resolveClaudeCodeActors(
  tx: Executor,
  records: readonly ClaudeCodeUsage[],
  orgId = '',
): Promise<{ byRecord: Array<{ id: string; type: 'user' | 'api_key' } | null>; unresolved: Unresolved }> {
  const emails = [...new Set(records.flatMap((r) => (r.userEmail ? [r.userEmail.toLowerCase()] : [])))];
  const names = [...new Set(records.flatMap((r) => (r.apiKeyName ? [r.apiKeyName] : [])))];
  const users = new Map<string, string>();
  if (emails.length) {
    const rows = await queryRows<{ id: string; email: string }>(
      tx,
      sql`select distinct on (lower(email)) id, lower(email) as email from org_users
          where org_id = ${orgId} and lower(email) in (select jsonb_array_elements_text(${JSON.stringify(emails)}::jsonb))
          order by lower(email), (removed_at is null) desc, last_seen_at desc`,
    );
    for (const r of rows) users.set(r.email, r.id);
  }
  const keys = new Map<string, string[]>();
  if (names.length) {
    const rows = await queryRows<{ id: string; name: string }>(
      tx,
      sql`select id, name from api_keys
          where org_id = ${orgId} and removed_at is null and name in (select jsonb_array_elements_text(${JSON.stringify(names)}::jsonb))
          order by id`,
    );
    for (const r of rows) keys.set(r.name, [...(keys.get(r.name) ?? []), r.id]);
  }
  const unresolved: Unresolved = { ambiguousKeyNames: [], unknownKeyNames: [], unknownEmails: [] };
  for (const n of names) {
    const ids = keys.get(n) ?? [];
    if (ids.length > 1) unresolved.ambiguousKeyNames.push(n);
    else if (ids.length === 0) unresolved.unknownKeyNames.push(n);
  }
  for (const e of emails) if (!users.has(e)) unresolved.unknownEmails.push(e);
  const byRecord = records.map((r) => {
    if (r.userEmail) {
      const id = users.get(r.userEmail.toLowerCase());
      return id ? { id, type: 'user' as const } : null;
    }
    const ids = r.apiKeyName ? (keys.get(r.apiKeyName) ?? []) : [];
    return ids.length === 1 ? { id: ids[0]!, type: 'api_key' as const } : null;
  });
  return { byRecord, unresolved };
}

/**
 * One day's Claude Code use per principal replaces what was stored for that day (the report is
 * re-read over the refresh window). Returns the principal-days written.
 */
export async function writeClaudeCodeDay(
  tx: Executor,
  day: string,
  records: readonly ClaudeCodeUsage[],
  byRecord: ReadonlyArray<{ id: string; type: 'user' | 'api_key' } | null>,
  now: Date,
  orgId = '',
): Promise<number> {
  const per = new Map<string, { p: string; t: string; s: number; raw: unknown[] }>();
  records.forEach((r, i) => {
    const who = byRecord[i];
    if (!who) return;
    const row = per.get(who.id) ?? { p: who.id, t: who.type, s: 0, raw: [] };
    row.s += r.sessions;
    row.raw.push(r.raw);
    per.set(who.id, row);
  });
  if (!per.size) return 0;
  await tx.execute(
    sql`insert into claude_code_daily as c (org_id, principal_id, day, principal_type, sessions, raw, updated_at)
        select ${orgId}, p, ${day}::date, t, s, raw, ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify([...per.values()])}::jsonb) as x(p text, t text, s int, raw jsonb)
        on conflict (org_id, principal_id, day) do update set
          sessions = excluded.sessions, raw = excluded.raw, updated_at = excluded.updated_at`,
  );
  return per.size;
}
