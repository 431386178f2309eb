import { describe, expect, it } from 'vitest';
import { canonical } from '../../src/audit/canonical.js';
import { csvCell, csvRecord, neutraliseFormula } from '../../src/audit/csv.js';
import { canonicalJson } from '../../src/config/policy.js';
import { makeEvidence } from './fixtures.js';
import { esc, weeklyChart } from '../../src/audit/html.js';
import { parseDay } from '../../src/audit/period.js';
import { formatChainHead, parseChainHead } from '../../src/audit/verify.js';
import { parseCsv } from './csv-reader.js';

describe('CSV cells', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+44 20 7946 0000', "'+44 20 7946 0000"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=cmd', "'\t=cmd"],
    ['\r=cmd', "'\r=cmd"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('neutralises %j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });

  it('quotes every field and doubles quotes', () => {
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(undefined)).toBe('""');
    expect(csvCell(42)).toBe('"42"');
    expect(csvCell(-1)).toBe('"-1"'); // our own numbers are not user text
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
  });

  it('ends records with CRLF and round-trips through a strict reader', () => {
    const values = ['a,b', 'c"d', 'e\nf', null, 7, '=x'];
    const line = csvRecord(values);
    expect(line.endsWith('\r\n')).toBe(true);
    expect(parseCsv(line + line)).toEqual([
      ['a,b', 'c"d', 'e\nf', '', '7', "'=x"],
      ['a,b', 'c"d', 'e\nf', '', '7', "'=x"],
    ]);
  });
});

describe('HTML', () => {
  it('escapes text and attributes', () => {
    expect(esc(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(esc(null)).toBe('');
    expect(esc(3)).toBe('3');
  });

  it('draws one bar per week, scaled to the peak, ignoring junk values', () => {
    const svg = weeklyChart([0, 5, 10, -3, 'x', null]);
    expect(svg.match(/<rect /g)).toHaveLength(6);
    expect(svg).toContain('data-weekly="0,5,10,0,0,0"');
    expect(svg).toContain('height="56"'); // the peak fills the chart
    expect(weeklyChart([])).toContain('No weekly activity');
    expect(weeklyChart(undefined)).toContain('No weekly activity');
  });
});

describe('dates and heads', () => {
  it('parses days (UTC) and zoned times; an end day includes the whole day', () => {
    expect(parseDay('2025-03-01', 'start')?.toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(parseDay('2025-03-31', 'end')?.toISOString()).toBe('2025-04-01T00:00:00.000Z');
    expect(parseDay('2025-03-01T10:30:00+02:00', 'end')?.toISOString()).toBe('2025-03-01T08:30:00.000Z');
    expect(parseDay('2025-03-01T10:30Z', 'start')?.toISOString()).toBe('2025-03-01T10:30:00.000Z');
  });

  it.each(['2025-02-30', '2025-13-01', '2025-3-1', '01/03/2025', '2025-03-01T10:30', 'yesterday', ''])(
    'rejects %j',
    (text) => {
      expect(parseDay(text, 'start')).toBeNull();
    },
  );

  it('round-trips a chain head', () => {
    const head = { seq: 42, hash: 'a'.repeat(64) };
    expect(parseChainHead(formatChainHead(head))).toEqual(head);
    expect(parseChainHead('0:' + 'a'.repeat(64))).toBeNull();
    expect(parseChainHead('42:' + 'A'.repeat(64))).toBeNull();
    expect(parseChainHead('42:abc')).toBeNull();
  });
});

describe('canonical serialisation', () => {
  // Rows hashed before and after the fast serialiser must agree: it is held to canonicalJson.
  const values: unknown[] = [
    null,
    undefined,
    0,
    -0,
    1.5e300,
    Number.NaN,
    true,
    'plain',
    'quote " backslash \\ newline \n tab \t nul \u0000',
    'emoji 😀 and lone \ud800 surrogate',
    new Date('2025-03-01T12:34:56.789Z'),
    [],
    {},
    [1, 'two', null, [3, { b: 1, a: 2 }]],
    { b: 1, a: { d: [1, 2], c: undefined }, A: 'upper', _: 'x', '10': 'ten', '9': 'nine', é: 1, '"k"': 2 },
    makeEvidence(),
    { nested: { deeper: { deepest: [{ z: 1, y: [{ x: new Date(0) }] }] } } },
  ];
  it.each(values.map((v) => [v]))('matches canonicalJson for %j', (v) => {
    expect(canonical(v)).toBe(canonicalJson(v));
  });
});
