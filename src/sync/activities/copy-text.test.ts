import { describe, expect, it } from 'vitest';
import { arrayElementTexts, copyField } from './copy-text.js';

describe('arrayElementTexts', () => {
  it('cuts each element of the array under the key out of the text, as written', () => {
    const body =
      '{"has_more":true,"first_id":"a","data":[{"id":"a","n":12345678901234567890,"s":"x\\"}]{"},' +
      ' {"id":"b","nested":{"k":[1,{"z":"]"}]},"t":"\\\\"} ,{"id":"c","v":[true,false,null,-1.5e3]}],"last_id":"c"}';
    const texts = arrayElementTexts(body, 'data')!;
    expect(texts).toEqual([
      '{"id":"a","n":12345678901234567890,"s":"x\\"}]{"}',
      '{"id":"b","nested":{"k":[1,{"z":"]"}]},"t":"\\\\"}',
      '{"id":"c","v":[true,false,null,-1.5e3]}',
    ]);
    // Each is the JSON the API sent: the big number keeps every digit.
    expect(texts.map((t) => (JSON.parse(t) as { id: string }).id)).toEqual(['a', 'b', 'c']);
  });

  it('skips values of other keys of any kind, and handles pretty-printed JSON and empty arrays', () => {
    const pretty = JSON.stringify(
      { a: [1, { data: [9] }], b: 'data', c: null, d: 2.5, data: [{ x: 1 }, 'y', 3] },
      null,
      2,
    );
    const texts = arrayElementTexts(pretty, 'data')!;
    expect(texts.map((t) => JSON.parse(t) as unknown)).toEqual([{ x: 1 }, 'y', 3]);
    expect(texts[0]).toMatch(/^\{\n\s+"x": 1\n\s+\}$/);
    expect(arrayElementTexts('{"data":[]}', 'data')).toEqual([]);
  });

  it('says undefined when the key is not there plainly or is not an array', () => {
    expect(arrayElementTexts('{"other":[1]}', 'data')).toBeUndefined();
    expect(arrayElementTexts('{"\\u0064ata":[1]}', 'data')).toBeUndefined();
    expect(arrayElementTexts('{"data":{"a":1}}', 'data')).toBeUndefined();
    expect(arrayElementTexts('[1,2]', 'data')).toBeUndefined();
  });
});

describe('copyField', () => {
  it("escapes what COPY's text format gives a meaning: backslash, newline, carriage return, tab", () => {
    expect(copyField('plain text, "quoted"')).toBe('plain text, "quoted"');
    expect(copyField('a\\b\nc\rd\te')).toBe('a\\\\b\\nc\\rd\\te');
  });
});
