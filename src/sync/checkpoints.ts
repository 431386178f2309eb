import { sql } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import type { Executor } from '../db/types.js';
import { StewardError } from '../domain/errors.js';
import type { SourceName } from './types.js';

/** A source's checkpoint: its name, or `<source>@<organisation id>` for an organisation other than the first (issue 17). */
export type CheckpointName = SourceName | `${SourceName}@${string}`;

export interface StoredCheckpoint {
  cursor: Record<string, unknown>;
  lastCompleteAt: Date | null;
}

export async function readCheckpoint(ex: Executor, source: CheckpointName): Promise<StoredCheckpoint | null> {
  const [row] = await queryRows<{ cursor: unknown; last_complete_at: unknown }>(
    ex,
    sql`select cursor, last_complete_at from sync_checkpoints where source = ${source}`,
  );
  if (!row) return null;
  const cursor =
    typeof row.cursor === 'string'
      ? (JSON.parse(row.cursor) as Record<string, unknown>)
      : (row.cursor as Record<string, unknown>);
  const at = row.last_complete_at;
  return { cursor, lastCompleteAt: at === null || at === undefined ? null : new Date(at as string | Date) };
}

/**
 * Moves a source's cursor from `expected` (what this run read; null when there was no
 * row) to `next`, inside the caller's transaction, so it commits with the data behind
 * it. If another run moved it meanwhile (jsonb equality, so key order is irrelevant),
 * nothing is written and a retryable `sync_conflict` aborts the transaction.
 */
export async function advanceCheckpoint(
  tx: Executor,
  source: CheckpointName,
  expected: Record<string, unknown> | null,
  next: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const rows = await queryRows(
    tx,
    sql`insert into sync_checkpoints as c (source, cursor, updated_at)
        values (${source}, ${JSON.stringify(next)}::jsonb, ${now.toISOString()}::timestamptz)
        on conflict (source) do update set cursor = excluded.cursor, updated_at = excluded.updated_at
        where c.cursor = ${expected === null ? null : JSON.stringify(expected)}::jsonb
        returning source`,
  );
  if (rows.length === 0) {
    throw new StewardError(
      'sync_conflict',
      `Another sync of ${source} moved its checkpoint while this one ran; this run stopped without writing.`,
      {
        retry: true,
      },
    );
  }
}

/** Records that a run of the source completed (with the run's audit row, by the caller). */
export async function markComplete(tx: Executor, source: CheckpointName, now: Date): Promise<void> {
  await tx.execute(
    sql`insert into sync_checkpoints as c (source, cursor, last_complete_at, updated_at)
        values (${source}, '{}'::jsonb, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
        on conflict (source) do update set last_complete_at = excluded.last_complete_at, updated_at = excluded.updated_at`,
  );
}
