import { describe, expect, it } from 'vitest';
import { batches } from './batches.js';

async function* source(n: number, failAfter?: number) {
  for (let i = 0; i < n; i++) {
    if (i === failAfter) throw new Error('boom');
    yield i;
  }
}

describe('batches', () => {
  it('groups a stream', async () => {
    const out: number[][] = [];
    for await (const b of batches(source(7), 3)) out.push(b);
    expect(out).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('hands over what arrived before a failure, then fails', async () => {
    const out: number[][] = [];
    await expect(
      (async () => {
        for await (const b of batches(source(10, 5), 3)) out.push(b);
      })(),
    ).rejects.toThrow('boom');
    expect(out).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });
});
