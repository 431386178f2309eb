/**
 * Credentials written into URLs: the userinfo part (`scheme://user:password@host`) and
 * query parameters whose name says secret (`?token=`, `?key=`, `?api_key=`, `?sig=`,
 * `X-Amz-Signature=`, `access_token=`, `password=`…). Error messages quote URLs (a failed
 * fetch, a driver's connection error), so every error text and log line passes through
 * here. Pure, and shared by the logger and `StewardError`.
 */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@'"<>]+@/gi;
const SECRET_PARAM =
  /([?&;](?:[a-z0-9_.-]*[_.-])?(?:token|key|apikey|secret|password|passwd|pwd|sig|signature|credential|credentials|auth|code)=)[^&;#\s'"<>)\]]+/gi;

export const REDACTED = '[REDACTED]';

export function scrubUrlSecrets(text: string): string {
  if (!text.includes('://') && !text.includes('=')) return text;
  return text.replace(USERINFO, `$1${REDACTED}@`).replace(SECRET_PARAM, `$1${REDACTED}`);
}

/** Whether a URL carries credentials (userinfo or a secret-named query parameter). */
export function urlCarriesSecrets(url: string): boolean {
  return scrubUrlSecrets(url) !== url;
}
