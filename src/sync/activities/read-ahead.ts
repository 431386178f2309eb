/**
 * Reads a cursor-paginated feed ahead of its consumer: the next page is requested as
 * soon as the previous one arrives, until `capacity` pages are requested or waiting
 * unconsumed. Pages are handed out in feed order; a failure is handed out in place of
 * the page it stopped at, and nothing is requested after it.
 *
 * Fetching and parsing thus run while the database stores earlier pages; memory stays
 * bounded by `capacity` pages. A reader is dropped and a new one started from a stored
 * cursor when a batch has to be read again.
 */
export interface ReadAhead<P> {
  /** The next page in feed order; rejects with the failure that stopped the reading. */
  next(): Promise<P>;
  /** Stops requesting pages and waits for a request in flight to settle. */
  close(): Promise<void>;
}

export interface ReadAheadSource<P> {
  fetch(cursor: string | null): Promise<P>;
  /** Where the page after this one starts, or `undefined` when it was the last. */
  after(page: P): string | null | undefined;
}

export function readAhead<P>(source: ReadAheadSource<P>, start: string | null, capacity: number): ReadAhead<P> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  const queue: Promise<P>[] = [];
  /** Where the next request starts; `undefined` once the last page or a failure arrived. */
  let cursor: string | null | undefined = start;
  let inFlight: Promise<P> | null = null;
  let closed = false;

  const pump = (): void => {
    if (closed || inFlight || cursor === undefined || queue.length >= capacity) return;
    const request = source.fetch(cursor);
    inFlight = request;
    queue.push(request);
    request.then(
      (page) => {
        inFlight = null;
        cursor = source.after(page);
        pump();
      },
      () => {
        inFlight = null;
        cursor = undefined;
      },
    );
  };

  pump();
  return {
    next() {
      const page = queue.shift();
      if (!page) return Promise.reject(new Error('read past the last page of the feed'));
      pump();
      return page;
    },
    async close() {
      closed = true;
      await inFlight?.catch(() => {});
    },
  };
}
