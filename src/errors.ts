/**
 * Every error Steward raises on purpose carries a stable `code` (for logs, metrics
 * and tests) and a `retry` flag (may the same call succeed later?). User-facing text
 * is produced in one place: `userText()` below.
 */
export class StewardError extends Error {
  readonly code: string;
  readonly retry: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: string,
    message: string,
    opts: { retry?: boolean; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'StewardError';
    this.code = code;
    this.retry = opts.retry ?? false;
    this.details = opts.details;
  }
}

export function isStewardError(err: unknown): err is StewardError {
  return err instanceof StewardError;
}

const USER_TEXT: Record<string, string> = {
  config_invalid: 'Steward is misconfigured.',
  not_authorised: "You're not allowed to do that.",
  already_decided: 'This review has already been decided.',
  not_found: "That item doesn't exist (any more).",
  bad_request: "That request wasn't understood.",
};

/** The one place that turns an error into words a Slack user or operator sees. */
export function userText(err: unknown): string {
  if (isStewardError(err)) {
    // Our own messages are written for people and never contain secrets.
    return err.message || USER_TEXT[err.code] || 'Something went wrong.';
  }
  return 'Something went wrong on our side. It has been logged; please try again.';
}
