/**
 * Coalesces repeated refreshes of the same thing (a review message, a person's App Home):
 * while one refresh is in flight (often waiting for its method's budget), every later
 * request for the same key becomes one follow-up that runs the newest request's work when
 * the first is done. A burst of changes to one message thus costs at most two calls, not
 * one per change, and the last state is always the one shown.
 */
export function coalescer() {
  interface Pending {
    run: () => Promise<void>;
    promise: Promise<void>;
    settle: (p: Promise<void>) => void;
  }
  const slots = new Map<string, { next?: Pending }>();
  let coalesced = 0;

  function start(key: string, run: () => Promise<void>): Promise<void> {
    const slot: { next?: Pending } = {};
    slots.set(key, slot);
    const done = (async () => {
      try {
        await run();
      } finally {
        const next = slot.next;
        slots.delete(key);
        if (next) next.settle(start(key, next.run));
      }
    })();
    return done;
  }

  return {
    /** Runs `run` for `key` now, or as the one follow-up of the refresh already in flight. */
    run(key: string, run: () => Promise<void>): Promise<void> {
      const slot = slots.get(key);
      if (!slot) return start(key, run);
      if (slot.next) {
        coalesced++;
        slot.next.run = run;
        return slot.next.promise;
      }
      let settle!: (p: Promise<void>) => void;
      const promise = new Promise<void>((resolve) => {
        settle = resolve;
      });
      slot.next = { run, promise, settle };
      return promise;
    },
    /** Requests that were folded into another one's call. */
    coalesced: () => coalesced,
  };
}
