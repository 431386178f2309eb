import { StewardError } from '../domain/errors.js';

/**
 * A source's failure as a StewardError with a short message. drizzle wraps driver
 * errors as "Failed query: <SQL> params: <parameters>", and the parameters can be
 * megabytes of activity data, so the driver's own error is used instead.
 */
export function syncFailure(err: unknown, source: string): StewardError {
  if (err instanceof StewardError) return err;
  let inner: unknown = err;
  if (err instanceof Error && err.message.startsWith('Failed query') && err.cause !== undefined) inner = err.cause;
  const message = inner instanceof Error ? inner.message : String(inner);
  return new StewardError('sync_failed', `${source}: ${message.length > 500 ? `${message.slice(0, 500)}…` : message}`, {
    retry: false,
    cause: inner,
  });
}
