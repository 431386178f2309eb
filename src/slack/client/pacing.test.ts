import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalescer } from './coalesce.js';
import { Pacer, PRIORITY, slackPaceTable } from './pacing.js';

describe('Pacer', () => {
  let t = 0;
  beforeEach(() => {
    t = 0;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());
  const advance = async (ms: number) => {
    t += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };
  const track = (p: Promise<void>, list: string[], name: string) => void p.then(() => list.push(name));

  it('lets a burst through, then one call per interval of the rate', async () => {
    const pacer = new Pacer({ m: [{ limit: 60, windowMs: 60_000, burst: 2 }] }, () => t);
    const done: string[] = [];
    for (const n of ['a', 'b', 'c', 'd']) track(pacer.take('m'), done, n);
    await advance(0);
    expect(done).toEqual(['a', 'b']);
    await advance(999);
    expect(done).toEqual(['a', 'b']);
    await advance(1);
    expect(done).toEqual(['a', 'b', 'c']);
    await advance(1000);
    expect(done).toEqual(['a', 'b', 'c', 'd']);
  });

  it('serves urgent waiters before routine ones that queued earlier', async () => {
    const pacer = new Pacer({ m: [{ limit: 1, windowMs: 1000, burst: 1 }] }, () => t);
    const done: string[] = [];
    track(pacer.take('m'), done, 'first');
    track(pacer.take('m', undefined, PRIORITY.routine), done, 'routine');
    track(pacer.take('m', undefined, PRIORITY.urgent), done, 'urgent');
    await advance(0);
    await advance(1000);
    await advance(1000);
    expect(done).toEqual(['first', 'urgent', 'routine']);
  });

  it('keeps per-channel budgets apart under the workspace budget', async () => {
    const pacer = new Pacer(slackPaceTable(), () => t);
    const done: string[] = [];
    track(pacer.take('chat.postMessage', 'D1'), done, 'D1 a');
    track(pacer.take('chat.postMessage', 'D1'), done, 'D1 b');
    track(pacer.take('chat.postMessage', 'D2'), done, 'D2 a');
    await advance(0);
    expect(done).toEqual(['D1 a', 'D2 a']);
    await advance(1000);
    expect(done).toEqual(['D1 a', 'D2 a', 'D1 b']);
  });

  it("holds a method for a 429's Retry-After without touching other methods", async () => {
    const pacer = new Pacer(slackPaceTable(), () => t);
    pacer.hold('users.lookupByEmail', 3000);
    const done: string[] = [];
    track(pacer.take('users.lookupByEmail'), done, 'lookup');
    track(pacer.take('users.info'), done, 'info');
    await advance(0);
    expect(done).toEqual(['info']);
    await advance(2999);
    expect(done).toEqual(['info']);
    await advance(1);
    expect(done).toEqual(['info', 'lookup']);
  });

  it('holds a method it has no budget for, too', async () => {
    const pacer = new Pacer({}, () => t);
    pacer.hold('team.info', 2000);
    const done: string[] = [];
    track(pacer.take('team.info'), done, 'x');
    await advance(1999);
    expect(done).toEqual([]);
    await advance(1);
    expect(done).toEqual(['x']);
  });
});

describe('coalescer', () => {
  it('turns a burst for one key into the call in flight and one follow-up with the newest work', async () => {
    const c = coalescer();
    const ran: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const all = [1, 2, 3, 4, 5].map((n) =>
      c.run('k', async () => {
        ran.push(n);
        if (n === 1) await gate;
      }),
    );
    const other = c.run('other', async () => {
      ran.push(99);
    });
    release();
    await Promise.all([...all, other]);
    expect(ran).toEqual([1, 99, 5]);
    expect(c.coalesced()).toBe(3);
  });

  it("gives a failure to that call's own callers only", async () => {
    const c = coalescer();
    await expect(c.run('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(c.run('k', async () => {})).resolves.toBeUndefined();
  });
});
