import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes with backpressure, so a large export never piles up in memory. */
export async function writeChunk(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}
