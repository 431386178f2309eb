import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets } from './log.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, destination: destination as unknown as NodeJS.WritableStream & { write(s: string): boolean } };
}

const BOT = 'xoxb-123456789-987654321-AbCdEfGhIjKl';
const APP = 'xapp-1-A0123-456-abcdef0123';
const ADMIN = 'sk-ant-admin01-Zx9_secretKEYsecretKEY-0123456789abcdef';
const SIGNING = 'f00dfacecafe0123456789abcdef0123';

describe('logger redaction', () => {
  it('never writes a token, key or signing secret, wherever it appears', () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination, secrets: [SIGNING], level: 'trace' });
    log.info({ token: BOT, headers: { authorization: `Bearer ${BOT}`, 'x-api-key': ADMIN } }, 'request');
    log.info({ req: { headers: { 'x-api-key': ADMIN, 'x-slack-signature': 'v0=abc' } } }, 'nested');
    log.warn({ config: { botToken: BOT, appToken: APP, signingSecret: SIGNING } }, 'config');
    log.error({ err: new Error(`call failed with key ${ADMIN} and token ${BOT}`) }, 'error with secret in message');
    log.info(`free text mentioning ${APP} and ${SIGNING}`);
    log.info({ url: `https://x.test/?token=${BOT}` }, 'url');
    const out = lines.join('');
    expect(lines.length).toBe(6);
    for (const secret of [BOT, APP, ADMIN, SIGNING]) expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED]');
    // The useful parts of each line survive.
    expect(out).toContain('error with secret in message');
    expect(out).toContain('call failed with key');
  });

  it('keeps key hints (they are meant to be shown)', () => {
    expect(scrubSecrets('key hint sk-ant-api03-...abcd')).toBe('key hint sk-ant-api03-...abcd');
  });

  it('scrubs credentials inside URLs: userinfo and secret query parameters', () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination, level: 'trace' });
    const cause = new TypeError(
      'Request cannot be constructed from a URL that includes credentials: https://u:hunter2pw@proxy/v1',
    );
    log.error({ err: new Error('listing failed', { cause }) }, 'sync failed');
    log.info({ next: 'https://feed.test/v1/activities?page=2&sig=abcdef123456&api_key=k-998877' }, 'page');
    const out = lines.join('');
    for (const secret of ['hunter2pw', 'abcdef123456', 'k-998877']) expect(out).not.toContain(secret);
    expect(out).toContain('https://[REDACTED]@proxy/v1');
    expect(out).toContain('page=2');
  });
});
