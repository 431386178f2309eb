import { z } from 'zod';
import { StewardError } from '../domain/errors.js';
import { describeIssues } from './compliance/schema.js';

/**
 * `GET /v1/organizations/usage_report/claude_code` (not in the SDK), per
 * https://platform.claude.com/docs/en/api/admin/usage_report/retrieve_claude_code: one UTC day per
 * request, records per actor — a user by email or an API key by *name* — with `next_page` paging.
 * Only what Steward reads is checked; every record is kept whole as `raw`.
 */
const actorSchema = z.union([
  z.looseObject({ type: z.literal('user_actor'), email_address: z.string().min(1) }),
  z.looseObject({ type: z.literal('api_actor'), api_key_name: z.string().min(1) }),
  z.looseObject({ type: z.string().min(1) }),
]);

const recordSchema = z.looseObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'must start with a YYYY-MM-DD date'),
  actor: actorSchema,
  core_metrics: z.looseObject({ num_sessions: z.number().nonnegative() }),
});

export const claudeCodePageSchema = z.looseObject({
  data: z.array(recordSchema),
  has_more: z.boolean(),
  next_page: z.string().nullable(),
});

/** One actor's Claude Code use on one UTC day. */
export interface ClaudeCodeUsage {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  /** Who: a user's email, or an API key's name (the report names keys, not ids). */
  userEmail: string | null;
  apiKeyName: string | null;
  sessions: number;
  /** The record as the API sent it. */
  raw: Record<string, unknown>;
}

/** A page that is not the documented shape is refused whole. */
export function parseClaudeCodePage(
  body: unknown,
  what: string,
): { records: ClaudeCodeUsage[]; nextPage: string | null } {
  const parsed = claudeCodePageSchema.safeParse(body);
  if (!parsed.success) {
    throw new StewardError(
      'anthropic_malformed_response',
      `Anthropic API: ${what} returned a page of the wrong shape: ${describeIssues(parsed.error)}`,
      { retry: false },
    );
  }
  const page = parsed.data;
  if (page.has_more && page.next_page === null) {
    throw new StewardError(
      'anthropic_malformed_response',
      `Anthropic API: ${what} says has_more but gives no next_page`,
      { retry: false },
    );
  }
  const records = (body as { data: Record<string, unknown>[] }).data.map((raw, i) => {
    const r = page.data[i]!;
    const actor = r.actor as Record<string, unknown>;
    return {
      day: r.date.slice(0, 10),
      userEmail: actor['type'] === 'user_actor' ? (actor['email_address'] as string) : null,
      apiKeyName: actor['type'] === 'api_actor' ? (actor['api_key_name'] as string) : null,
      sessions: r.core_metrics.num_sessions,
      raw,
    };
  });
  return { records, nextPage: page.has_more ? page.next_page : null };
}
