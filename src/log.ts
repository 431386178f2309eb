import { pino, type Logger, type DestinationStream } from 'pino';
import { scrubUrlSecrets } from './domain/redact.js';

export type { Logger };

/**
 * Paths pino removes outright. Header names are lower-case on Node's IncomingMessage
 * and on the SDK's request options; both shapes are covered.
 */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'adminKey',
  '*.adminKey',
  'adminKeys',
  '*.adminKeys',
  'complianceKey',
  '*.complianceKey',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'auditKeys',
  '*.auditKeys',
  'authorization',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-slack-signature"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.headers["x-slack-signature"]',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
];

/**
 * Secrets also hide inside strings (an error message quoting a URL, a serialised
 * request). Anything shaped like a Slack or Anthropic credential is scrubbed from the
 * final line, as are credentials inside URLs and the exact secret values from the
 * configuration.
 */
const TOKEN_PATTERNS = [
  /xox[abposer]-[A-Za-z0-9-]{6,}/g,
  /xapp-[A-Za-z0-9-]{6,}/g,
  /sk-ant-[a-z]+\d*-[A-Za-z0-9_-]{16,}/g,
];

export function scrubSecrets(line: string, exact: readonly string[] = []): string {
  let out = scrubUrlSecrets(line);
  for (const re of TOKEN_PATTERNS) out = out.replace(re, '[REDACTED]');
  for (const s of exact) if (s) out = out.split(s).join('[REDACTED]');
  return out;
}

export interface LogOptions {
  level?: string;
  format?: 'json' | 'pretty';
  /** Exact secret values to scrub wherever they appear. */
  secrets?: readonly string[];
  /** Where lines go; stdout by default. Tests pass a stream to inspect output. */
  destination?: DestinationStream;
}

export function createLogger(opts: LogOptions = {}): Logger {
  const secrets = (opts.secrets ?? []).filter((s) => s.length >= 6);
  const options = {
    level: opts.level ?? 'info',
    base: { service: 'steward' },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    hooks: { streamWrite: (s: string) => scrubSecrets(s, secrets) },
    serializers: { err: pino.stdSerializers.err },
  };
  if (opts.destination) return pino(options, opts.destination);
  if (opts.format === 'pretty') {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return pino(options);
}
