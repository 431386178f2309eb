import { describe, expect, it } from 'vitest';
import { OptionsError, parseSandboxArgs } from './options.js';

describe('npm run sandbox options', () => {
  it('defaults to a 50-person company with 80 keys and 120 days, on port 3000, no faults, a throwaway database', () => {
    expect(parseSandboxArgs([])).toEqual({
      port: 3000,
      people: 50,
      keys: 80,
      days: 120,
      orgs: 1,
      faults: false,
      dataDir: null,
    });
  });

  it('reads every option, as "--flag value" or "--flag=value"', () => {
    expect(
      parseSandboxArgs([
        '--port=0',
        '--people',
        '200',
        '--keys=400',
        '--days',
        '365',
        '--orgs=3',
        '--faults',
        '--data-dir',
        'sb',
      ]),
    ).toEqual({ port: 0, people: 200, keys: 400, days: 365, orgs: 3, faults: true, dataDir: 'sb' });
    expect(parseSandboxArgs(['--help'])).toBe('help');
  });

  it.each([
    [['--people', '11'], '--people must be from 12 to 2000, not 11'],
    [['--days', '366'], '--days must be from 90 to 365, not 366'],
    [['--port', '70000'], '--port must be from 0 to 65535, not 70000'],
    [['--orgs', '4'], '--orgs must be from 1 to 3, not 4'],
    [['--keys', '1e3'], '--keys must be a whole number, not "1e3"'],
    [['--keys', '--faults'], '--keys needs a number'],
    [['--data-dir'], '--data-dir needs a directory'],
    [['--faults=yes'], '--faults takes no value'],
    [['--people', '20', '--people', '30'], '--people is given twice'],
    [['people'], 'unknown option people (see --help)'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseSandboxArgs(argv)).toThrow(new OptionsError(message));
  });
});
