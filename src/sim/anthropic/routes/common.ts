import type { z } from 'zod';
import type { RouteResult } from '../context.js';
import { badRequest } from '../errors.js';
import { idPage } from '../pagination.js';
import type { Query } from '../query.js';
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

/**
 * One page of a newest-first Admin API list (the SDK's `Page`, id cursors): sorts `items`
 * newest first and pages them with `idPage`. A cursor is placed by its record's own sort key,
 * found with `lookup`, so it still works after that record left the list.
 */
export function newestFirstPage<R extends Ordered>(
  q: Query,
  items: R[],
  opts: { idOf: (r: R) => string; lookup: (id: string) => Ordered | undefined; render: (r: R) => unknown },
): RouteResult {
  return {
    body: idPage(q, items.sort(newestFirst), {
      idOf: opts.idOf,
      position: (id) => {
        const c = opts.lookup(id);
        return c ? (r: R) => newestFirst(r, c) : undefined;
      },
      render: opts.render,
    }),
  };
}
