import { StewardError } from '../domain/errors.js';

/** Slack's code for a Web API failure, or undefined when it was not Slack saying no. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string } };
  if (e?.code === 'slack_webapi_platform_error') return e.data?.error;
  return undefined;
}

const RECIPIENT_GONE = new Set([
  'user_not_found',
  'users_not_found',
  'user_disabled',
  'account_inactive',
  'cannot_dm_bot',
  'is_archived',
]);

/** Turns a WebClient failure into our error: unreachable people, retryable outages, config mistakes. */
export function toStewardError(err: unknown, what: string): StewardError {
  if (err instanceof StewardError) return err;
  const code = slackErrorCode(err);
  if (code && RECIPIENT_GONE.has(code))
    return new StewardError('slack_recipient_unreachable', `${what}: Slack says ${code}`, { retry: false, cause: err });
  if (code === 'channel_not_found' || code === 'not_in_channel') {
    return new StewardError(
      'slack_channel_unavailable',
      `${what}: Slack says ${code} (is the bot invited to the channel?)`,
      { retry: false, cause: err },
    );
  }
  if (code)
    return new StewardError('slack_error', `${what}: Slack says ${code}`, {
      cause: err,
      retry: code === 'ratelimited' || code === 'internal_error' || code === 'fatal_error',
    });
  const e = err as { code?: string; message?: string };
  return new StewardError('slack_unavailable', `${what}: ${e?.message ?? 'Slack could not be reached'}`, {
    cause: err,
    retry: true,
  });
}

/** Slack said ok but left out what the call is for; another try may get it. */
export function noAnswer(what: string): StewardError {
  return new StewardError('slack_malformed_response', `Slack answered without ${what}`, { retry: true });
}
