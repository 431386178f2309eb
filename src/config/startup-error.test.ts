import { describe, expect, it } from 'vitest';
import { StewardError } from '../domain/errors.js';
import { explainStartupError } from './startup-error.js';

const wrap = (cause: unknown) => new Error('Failed query: select to_regclass($1)\nparams: x', { cause });
const sys = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(code), { code, ...extra });

describe('explainStartupError', () => {
  const pg = { databaseUrl: 'postgres://steward:pw-secret@db.internal:6543/steward' };

  it('finds ECONNREFUSED under a query wrapper and inside an AggregateError', () => {
    const agg = new AggregateError([sys('ECONNREFUSED', { address: '::1', port: 6543 })], 'x');
    expect(explainStartupError(wrap(agg), pg)).toBe(
      'Steward could not start: connection refused by PostgreSQL at ::1:6543 (is it running, and is DATABASE_URL right?)',
    );
    expect(explainStartupError(wrap(sys('ECONNREFUSED')), pg)).toContain('db.internal:6543');
  });

  it('names the role on an authentication failure, never the password', () => {
    const auth = sys('28P01');
    auth.message = 'password authentication failed for user "steward"';
    const line = explainStartupError(wrap(auth), pg);
    expect(line).toContain('authentication failed for role "steward"');
    expect(line).not.toContain('pw-secret');
  });

  it('names STEWARD_DATA_DIR for file errors on the embedded database', () => {
    const line = explainStartupError(sys('EACCES', { path: '/srv/data', syscall: 'mkdir' }), { dataDir: '/srv/data' });
    expect(line).toContain('STEWARD_DATA_DIR=/srv/data is not writable (EACCES on /srv/data)');
  });

  it('names PORT when the port is taken, and passes our own messages through', () => {
    expect(explainStartupError(sys('EADDRINUSE'), { port: 3000 })).toContain('port 3000 is already in use');
    const ours = new StewardError('policy_invalid', 'The policy file p.yaml has 1 problem', { retry: false });
    expect(explainStartupError(ours, {})).toBe('The policy file p.yaml has 1 problem');
    expect(explainStartupError(new Error('boom\nmore'), {})).toBe('Steward could not start: boom');
  });
});
