import { describe, expect, it } from 'vitest';
import { createPacer } from './pacer.js';

/** A pacer on a fake wall clock whose sleeps move the clock. */
function rig(share: number) {
  let now = 1_000_000;
  const waits: number[] = [];
  const pacer = createPacer({
    share,
    wallNow: () => now,
    marginMs: 0,
    sleep: (ms) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
  });
  const answer = (remaining: number, resetInMs: number, limit = 10) =>
    pacer.observe({ limit, remaining, resetAt: new Date(now + resetInMs) });
  return { pacer, waits, answer, advance: (ms: number) => (now += ms), now: () => now };
}

describe('feed pacing', () => {
  it('takes at most its share of a window, then waits for the announced reset', async () => {
    const r = rig(0.5);
    const resetAt = r.now() + 1000;
    for (let i = 0; i < 5; i++) {
      await r.pacer.acquire();
      r.pacer.observe({ limit: 10, remaining: 9 - i, resetAt: new Date(resetAt) });
    }
    expect(r.waits).toEqual([]);
    await r.pacer.acquire();
    expect(r.waits).toEqual([1000]);
  });

  it('waits when other readers left nothing, even under its share', async () => {
    const r = rig(0.5);
    await r.pacer.acquire();
    r.answer(0, 400);
    await r.pacer.acquire();
    expect(r.waits).toEqual([400]);
  });

  it('measures the wait from the server Date header, so a skewed clock does not shorten it', async () => {
    const r = rig(0.1);
    await r.pacer.acquire();
    // The server says it is 10 s before its reset, whatever our clock thinks the reset time is.
    const reset = new Date(Date.UTC(2026, 10, 20, 12, 0, 10));
    r.pacer.observe({ limit: 10, remaining: 5, resetAt: reset }, 'Fri, 20 Nov 2026 12:00:00 GMT');
    await r.pacer.acquire();
    expect(r.waits).toEqual([10_000]);
  });

  it('starts each window afresh, and never lets two requests both take the last unit', async () => {
    const r = rig(0.2); // allowance 2 of 10
    await r.pacer.acquire();
    r.answer(9, 1000);
    await Promise.all([r.pacer.acquire(), r.pacer.acquire()]);
    // The second of the two waited for the window to reset.
    expect(r.waits).toEqual([1000]);
    r.answer(8, 0);
  });

  it('refuses a share outside (0, 1]', () => {
    expect(() => createPacer({ share: 0, sleep: () => Promise.resolve() })).toThrow(RangeError);
    expect(() => createPacer({ share: 1.5, sleep: () => Promise.resolve() })).toThrow(RangeError);
  });
});
