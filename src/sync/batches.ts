/**
 * Groups an async stream into arrays of at most `size`, holding one batch at a time.
 * If the stream fails, what arrived before the failure is still yielded (so it can be
 * stored) before the error is thrown.
 */
export async function* batches<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  try {
    for await (const item of items) {
      batch.push(item);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
  } catch (err) {
    if (batch.length) yield batch;
    throw err;
  }
  if (batch.length) yield batch;
}
