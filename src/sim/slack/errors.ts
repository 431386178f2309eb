/**
 * Thrown by a method handler to answer `{ ok: false, error }` (HTTP 200, as Slack does).
 * `extra` lands at the top level of the body (e.g. `errors` for invalid_blocks);
 * `messages` become `response_metadata.messages`, Slack's "[ERROR] … [json-pointer:…]" lines.
 */
export class SlackApiError extends Error {
  readonly error: string;
  readonly extra: Record<string, unknown>;
  readonly messages: string[];

  constructor(error: string, opts: { extra?: Record<string, unknown>; messages?: string[] } = {}) {
    super(error);
    this.name = 'SlackApiError';
    this.error = error;
    this.extra = opts.extra ?? {};
    this.messages = opts.messages ?? [];
  }
}

/** Missing or malformed required argument, worded as Slack words it. */
export function invalidArguments(...messages: string[]): SlackApiError {
  return new SlackApiError('invalid_arguments', { messages: messages.map((m) => `[ERROR] ${m}`) });
}
