import type { StewardError } from '../domain/errors.js';

/** The sources, in the order a full sync runs them (Claude Code last: it resolves names through the directory). */
export const SOURCES = ['directory', 'activities', 'key_usage', 'seat_usage', 'claude_code'] as const;
export type SourceName = (typeof SOURCES)[number];

/** Emitted after each committed batch, so what it reports is stored. */
export interface SourceProgress {
  source: SourceName;
  /** e.g. `catch-up`, `incremental`, `api keys`, `2026-03-01..2026-04-01`. */
  phase: string;
  counts: Readonly<Record<string, number>>;
  /** Items per second since the source started. */
  rate?: number;
  /** Share of the work done, 0..1, when it can be known (the feed's time span on catch-up). */
  fraction?: number;
  etaSeconds?: number;
}

/**
 * A progress listener. It runs between batches, after a commit: throwing from it stops
 * the source there (the run then reports it failed, with everything before committed).
 */
export type ProgressListener = (p: SourceProgress) => void | Promise<void>;

export interface IngestContext {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export type SourceStatus = 'succeeded' | 'failed' | 'not_available';

export interface IngestResult {
  status: SourceStatus;
  counts: Record<string, number>;
  /** Things an operator should know that did not fail the source. */
  notes: string[];
  error?: StewardError;
}

export interface Ingester {
  readonly source: SourceName;
  run(ctx?: IngestContext): Promise<IngestResult>;
}
