import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../log.js';

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

/**
 * Bolt and its WebClient log through our pino root, so redaction applies to them too.
 * WebClient's debug lines carry whole request bodies; `quietDebug` keeps them out unless
 * the root logs at trace.
 */
export function boltLogger(log: Logger, opts: { component?: string; quietDebug?: boolean } = {}): BoltLogger {
  const child = log.child({ component: opts.component ?? 'bolt' });
  const debugOn = !opts.quietDebug || log.level === 'trace';
  let level: LogLevel = LEVELS[log.level] ?? LogLevel.INFO;
  const line = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => {
      if (debugOn) child.debug(line(msg));
    },
    info: (...msg) => child.info(line(msg)),
    warn: (...msg) => child.warn(line(msg)),
    error: (...msg) => child.error(line(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
