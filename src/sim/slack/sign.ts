import { createHmac } from 'node:crypto';

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

/**
 * Signs a request body exactly as Slack does: `v0=` + hex HMAC-SHA256, keyed with the
 * app's signing secret, of "v0:{timestamp}:{raw body}".
 */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string | Buffer,
  timestampSeconds = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${hmac}`, 'x-slack-request-timestamp': String(timestampSeconds) };
}
