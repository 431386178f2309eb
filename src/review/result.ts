import type { ReviewSnapshot } from './snapshot.js';

export type ReviewFailure = 'not_found' | 'not_allowed' | 'already_decided' | 'closed' | 'invalid';

/** What a review operation tells the person who tried it. */
export type ReviewResult =
  | { ok: true; review: ReviewSnapshot }
  | { ok: false; code: ReviewFailure; message: string; review?: ReviewSnapshot; field?: string };

export const fail = (
  code: ReviewFailure,
  message: string,
  extra: { review?: ReviewSnapshot; field?: string } = {},
): ReviewResult => ({
  ok: false,
  code,
  message,
  ...extra,
});
