import { z } from 'zod';

/**
 * The Activity Feed's page and activity shapes. Only what Steward relies on is
 * checked; every other field (and every unknown `type` or actor type) passes through
 * untouched, because the whole object is stored as `raw`.
 */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export const activitySchema = z.looseObject({
  id: z.string().min(1, 'must be a non-empty string'),
  created_at: z.string().regex(RFC3339, 'must be an RFC 3339 timestamp'),
  type: z.string().min(1, 'must be a non-empty string'),
  actor: z
    .looseObject({ type: z.string().min(1, 'must be a non-empty string') })
    .nullable()
    .optional(),
});

export const feedPageSchema = z.looseObject({
  data: z.array(activitySchema),
  has_more: z.boolean(),
  first_id: z.string().nullable(),
  last_id: z.string().nullable(),
});

export type Activity = z.infer<typeof activitySchema>;

export interface FeedPage {
  data: Activity[];
  hasMore: boolean;
  firstId: string | null;
  lastId: string | null;
  /**
   * The response body exactly as received (the validated page), so a consumer can
   * hand the activities on without serialising them again.
   */
  body: string;
}

/** `data.3.created_at: must be an RFC 3339 timestamp` — the first few problems, named by path. */
export function describeIssues(error: z.ZodError, max = 3): string {
  const parts = error.issues.slice(0, max).map((i) => `${i.path.length ? i.path.join('.') : '(page)'}: ${i.message}`);
  const more = error.issues.length > max ? ` (and ${error.issues.length - max} more)` : '';
  return parts.join('; ') + more;
}
