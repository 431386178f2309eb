import type { z } from 'zod';
import { badRequest } from '../errors.js';
import { newestFirst } from '../state/org-state.js';
import type { Ordered } from '../state/types.js';

/** Validates a JSON body the way the API does: one 400 naming the first bad field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path.length ? issue.path.join('.') : 'body';
  const message =
    issue.code === 'unrecognized_keys'
      ? `${issue.keys.join(', ')}: Extra inputs are not permitted`
      : `${where}: ${issue.message}`;
  throw badRequest(message);
}

/** Cursor placement for newest-first lists, by the cursor record's own sort key. */
export function newestFirstPosition<R extends Ordered>(
  lookup: (id: string) => Ordered | undefined,
): (id: string) => ((r: R) => number) | undefined {
  return (id) => {
    const c = lookup(id);
    return c ? (r: R) => newestFirst(r, c) : undefined;
  };
}
