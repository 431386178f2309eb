import { describe, expect, it } from 'vitest';
import { scrubUrlSecrets } from './redact.js';
import { operatorText, StewardError } from './errors.js';

describe('scrubUrlSecrets', () => {
  it.each([
    ['https://user:hunter2@proxy.example/v1', 'https://[REDACTED]@proxy.example/v1'],
    ['http://alice@proxy.example', 'http://[REDACTED]@proxy.example'],
    ['postgres://steward:s3cret@db:5432/steward', 'postgres://[REDACTED]@db:5432/steward'],
    ['see https://x.test/p?token=abc123&page=2', 'see https://x.test/p?token=[REDACTED]&page=2'],
    ['https://x.test/?key=abc&api_key=def&sig=ghi', 'https://x.test/?key=[REDACTED]&api_key=[REDACTED]&sig=[REDACTED]'],
    [
      'https://x.test/?X-Amz-Signature=abc&access_token=q',
      'https://x.test/?X-Amz-Signature=[REDACTED]&access_token=[REDACTED]',
    ],
    ['https://x.test/?password=p;a', 'https://x.test/?password=[REDACTED];a'],
  ])('%s', (input, expected) => {
    expect(scrubUrlSecrets(input)).toBe(expected);
  });

  it('leaves URLs without secrets, and ordinary text with @ and =, alone', () => {
    for (const s of [
      'https://api.anthropic.com/v1/organizations/users?limit=1000&after_id=user_1',
      'mail bob@example.com about key=value pairs',
      'https://x.test/?monkey=1',
    ])
      expect(scrubUrlSecrets(s)).toBe(s);
  });

  it('is applied to every StewardError message and every operator text', () => {
    const e = new StewardError('anthropic_unreachable', 'could not connect (http://u:pw-123456@h/v1?token=zzz)', {
      retry: true,
    });
    expect(e.message).toBe('could not connect (http://[REDACTED]@h/v1?token=[REDACTED])');
    expect(operatorText(new Error('GET https://u:pw@h/x failed'), 'Steward could not start')).toBe(
      'Steward could not start: GET https://[REDACTED]@h/x failed',
    );
  });
});
