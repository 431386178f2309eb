/**
 * Callers waiting for the app to (re)connect: each is woken whenever a connection says hello
 * and re-checks its own condition, until it holds or the time runs out.
 */
export class ConnectionWaiters {
  private readonly waiters = new Set<() => void>();

  /** Called when a connection opens. */
  wakeAll(): void {
    for (const wake of Array.from(this.waiters)) wake();
  }

  /** Resolves with `ready()`'s first defined answer (now, or after a wake); rejects after `timeoutMs`. */
  waitFor<T>(ready: () => T | undefined, timeoutMs: number, timeoutMessage: string): Promise<T> {
    const now = ready();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        const c = ready();
        if (c === undefined) return;
        cleanup();
        resolve(c);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(timeoutMessage));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
    });
  }
}
