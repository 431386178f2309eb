import { sql } from 'drizzle-orm';
import { appendAudit } from '../../audit/append.js';
import { queryRows } from '../../db/client.js';
import type { Executor } from '../../db/types.js';
import type { HeldRemovals } from './alerts.js';

/**
 * The mass-change brake. One directory sync may not mark more than `percent` of a
 * listing's known rows removed (and at least `atLeast` of them) by itself: an empty
 * listing from an upstream bug would otherwise remove everyone, and correlation would
 * then open a finding for every key they created. Such removals are held (a pending
 * `removal_holds` row, audited, alerted once) and the rows stay as they were, so
 * nothing downstream treats them as facts, until an admin accepts or a later sync no
 * longer trips the brake.
 */

export const BRAKED = ['users', 'workspaces', 'members', 'api_keys'] as const;
export type BrakedListing = (typeof BRAKED)[number];

export interface BrakeSettings {
  percent: number;
  atLeast: number;
}

/** Pure: does removing `wouldRemove` of `known` rows trip the brake? */
export function trips(known: number, wouldRemove: number, s: BrakeSettings): boolean {
  return wouldRemove >= s.atLeast && wouldRemove * 100 > s.percent * known;
}

const TABLE: Record<Exclude<BrakedListing, 'members'>, string> = {
  users: 'org_users',
  workspaces: 'workspaces',
  api_keys: 'api_keys',
};

export type HeldId = string | [string, string];

/** Rows a complete listing would mark removed (not yet removed, not in the listing), and how many are known. */
export async function removalCandidates(
  ex: Executor,
  listing: Exclude<BrakedListing, 'members'>,
  seenIds: readonly string[],
  orgId = '',
): Promise<{ known: number; ids: HeldId[] }> {
  const table = sql.raw(TABLE[listing]);
  const ids = await queryRows<{ id: string }>(
    ex,
    sql`select id from ${table} where org_id = ${orgId} and removed_at is null
        and id not in (select jsonb_array_elements_text(${JSON.stringify(seenIds)}::jsonb)) order by id`,
  );
  const [k] = await queryRows<{ n: number }>(
    ex,
    sql`select count(*)::int as n from ${table} where org_id = ${orgId} and removed_at is null`,
  );
  return { known: Number(k?.n ?? 0), ids: ids.map((r) => r.id) };
}

/** The same for memberships (see write.ts markMembersRemoved for which ones go). */
export async function memberRemovalCandidates(
  ex: Executor,
  completed: readonly string[],
  seenPairs: ReadonlyArray<[string, string]>,
  listedWorkspaces: readonly string[],
  orgId = '',
): Promise<{ known: number; ids: HeldId[] }> {
  const rows = await queryRows<{ workspace_id: string; user_id: string }>(
    ex,
    sql`select workspace_id, user_id from workspace_members where org_id = ${orgId} and removed_at is null and (
          (workspace_id in (select jsonb_array_elements_text(${JSON.stringify(completed)}::jsonb))
           and (workspace_id, user_id) not in (select s->>0, s->>1 from jsonb_array_elements(${JSON.stringify(seenPairs)}::jsonb) s))
          or workspace_id not in (select jsonb_array_elements_text(${JSON.stringify(listedWorkspaces)}::jsonb)))
        order by workspace_id, user_id`,
  );
  const [k] = await queryRows<{ n: number }>(
    ex,
    sql`select count(*)::int as n from workspace_members where org_id = ${orgId} and removed_at is null`,
  );
  return { known: Number(k?.n ?? 0), ids: rows.map((r) => [r.workspace_id, r.user_id] as [string, string]) };
}

export interface HoldContext {
  now: Date;
  /** The organisation whose listing it is ('' before organisations were identified). */
  orgId?: string;
  policyVersion: string;
  settings: BrakeSettings;
}

/**
 * Records (or refreshes) the pending hold of a listing, with its audit row when it is new
 * or its numbers changed. Returns what to alert about when the channel has not heard yet.
 */
export async function holdRemovals(
  tx: Executor,
  listing: BrakedListing,
  c: { known: number; ids: HeldId[] },
  ctx: HoldContext,
): Promise<{ alert: HeldRemovals | null; holdId: number }> {
  const now = ctx.now.toISOString();
  const orgId = ctx.orgId ?? '';
  const [before] = await queryRows<{ held: number; known: number }>(
    tx,
    sql`select held, known from removal_holds where org_id = ${orgId} and listing = ${listing} and status = 'pending'`,
  );
  const [row] = await queryRows<{ id: number; alerted_at: unknown }>(
    tx,
    sql`insert into removal_holds (org_id, listing, status, known, held, held_ids, first_held_at, last_held_at)
        values (${orgId}, ${listing}, 'pending', ${c.known}, ${c.ids.length}, ${JSON.stringify(c.ids)}::jsonb, ${now}::timestamptz, ${now}::timestamptz)
        on conflict (org_id, listing) where status = 'pending' do update set
          known = excluded.known, held = excluded.held, held_ids = excluded.held_ids, last_held_at = excluded.last_held_at
        returning id, alerted_at`,
  );
  const changed = !before || before.held !== c.ids.length || before.known !== c.known;
  if (changed) {
    await appendAudit(tx, {
      actor: { type: 'system', job: 'sync' },
      action: 'sync.removals_held',
      subject: { type: 'sync_source', id: 'directory' },
      outcome: 'held',
      details: {
        listing,
        known: c.known,
        wouldRemove: c.ids.length,
        threshold: { percent: ctx.settings.percent, atLeast: ctx.settings.atLeast },
        examples: c.ids.slice(0, 10),
        holdId: Number(row!.id),
      },
      policyVersion: ctx.policyVersion,
      at: ctx.now,
    });
  }
  const alert =
    row!.alerted_at === null || row!.alerted_at === undefined
      ? {
          listing,
          known: c.known,
          held: c.ids.length,
          percent: ctx.settings.percent,
          atLeast: ctx.settings.atLeast,
          examples: c.ids.slice(0, 10).map((id) => (Array.isArray(id) ? `${id[0]}/${id[1]}` : id)),
        }
      : null;
  return { alert, holdId: Number(row!.id) };
}

/** A sync that no longer trips the brake for a listing clears its pending hold (audited). */
export async function clearHold(
  tx: Executor,
  listing: BrakedListing,
  ctx: Omit<HoldContext, 'settings'>,
): Promise<void> {
  const cleared = await queryRows<{ id: number; held: number }>(
    tx,
    sql`update removal_holds set status = 'cleared', decided_at = ${ctx.now.toISOString()}::timestamptz
        where org_id = ${ctx.orgId ?? ''} and listing = ${listing} and status = 'pending' returning id, held`,
  );
  for (const h of cleared) {
    await appendAudit(tx, {
      actor: { type: 'system', job: 'sync' },
      action: 'sync.removal_hold_cleared',
      subject: { type: 'sync_source', id: 'directory' },
      outcome: 'cleared',
      details: { listing, holdId: Number(h.id), held: Number(h.held), why: 'a later sync no longer trips the brake' },
      policyVersion: ctx.policyVersion,
      at: ctx.now,
    });
  }
}

export async function markAlerted(ex: Executor, holdId: number, now: Date): Promise<void> {
  await ex.execute(
    sql`update removal_holds set alerted_at = ${now.toISOString()}::timestamptz where id = ${holdId} and alerted_at is null`,
  );
}
