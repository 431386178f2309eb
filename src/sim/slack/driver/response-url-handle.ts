import type { ResponseUrlRecord } from '../types.js';
import type { WithResponseUrl } from './types.js';

/** What a test sees of a response_url the driver issued: its URL and everything posted to it so far. */
export function responseUrlHandle(record: ResponseUrlRecord): WithResponseUrl {
  return { responseUrl: record.url, responses: () => [...record.posts] };
}
