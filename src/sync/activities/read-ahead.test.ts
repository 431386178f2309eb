import { describe, expect, it } from 'vitest';
import { readAhead } from './read-ahead.js';

/** A feed of pages 0..last; page n continues at cursor `c{n+1}`. */
function feed(last: number, failAt?: number) {
  const requested: Array<string | null> = [];
  // A request completes once released; a release may come before the request.
  const gates: Array<() => void> = [];
  let permits = 0;
  return {
    requested,
    release: () => {
      const gate = gates.shift();
      if (gate) gate();
      else permits += 1;
    },
    source: {
      fetch: async (cursor: string | null) => {
        requested.push(cursor);
        if (permits > 0) permits -= 1;
        else await new Promise<void>((resolve) => gates.push(resolve));
        const n = cursor === null ? 0 : Number(cursor.slice(1));
        if (n === failAt) throw new Error(`page ${n} failed`);
        return n;
      },
      after: (n: number) => (n < last ? `c${n + 1}` : undefined),
    },
  };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('reading a feed ahead', () => {
  it('requests pages one after another up to its capacity, and hands them out in order', async () => {
    const f = feed(4);
    const pages = readAhead(f.source, null, 2);
    expect(f.requested).toEqual([null]);
    f.release();
    await settle();
    expect(f.requested).toEqual([null, 'c1']);
    f.release();
    await settle();
    // Two pages wait unconsumed: nothing more is requested.
    expect(f.requested).toEqual([null, 'c1']);
    expect(await pages.next()).toBe(0);
    await settle();
    expect(f.requested).toEqual([null, 'c1', 'c2']);
    for (let i = 0; i < 3; i++) f.release();
    expect(await pages.next()).toBe(1);
    expect(await pages.next()).toBe(2);
    await settle();
    f.release();
    f.release();
    expect(await pages.next()).toBe(3);
    expect(await pages.next()).toBe(4);
    // Nothing after the last page.
    expect(f.requested).toEqual([null, 'c1', 'c2', 'c3', 'c4']);
    await expect(pages.next()).rejects.toThrow('read past the last page');
  });

  it('hands out a failure in place of its page and requests nothing after it', async () => {
    const f = feed(9, 1);
    const pages = readAhead(f.source, null, 3);
    f.release();
    await settle();
    f.release();
    await settle();
    expect(await pages.next()).toBe(0);
    await expect(pages.next()).rejects.toThrow('page 1 failed');
    expect(f.requested).toEqual([null, 'c1']);
  });

  it('stops requesting once closed, after the request in flight settles', async () => {
    const f = feed(9);
    const pages = readAhead(f.source, 'c5', 2);
    const closed = pages.close();
    f.release();
    await closed;
    await settle();
    expect(f.requested).toEqual(['c5']);
  });

  it('refuses a capacity below one', () => {
    expect(() => readAhead(feed(1).source, null, 0)).toThrow(RangeError);
  });
});
