import { sql } from 'drizzle-orm';
import { appendAudit, type AuditActor } from '../../audit/append.js';
import { queryRows } from '../../db/client.js';
import type { Db, Executor } from '../../db/types.js';

/** Who accepts held removals: an admin in Slack (checked against STEWARD_ADMINS by the caller) or the CLI. */
export type Acceptor = { kind: 'slack'; slackId: string } | { kind: 'cli'; user: string };

export interface AcceptedHold {
  listing: string;
  /** How many the hold held back, and how many of those are now marked removed. */
  held: number;
  applied: number;
}

type PendingHold = {
  id: number;
  org_id: string;
  listing: string;
  held: number;
  held_ids: unknown;
  last_held_at: unknown;
};

const TABLE: Record<string, string> = { users: 'org_users', workspaces: 'workspaces', api_keys: 'api_keys' };

/**
 * Applies the pending holds as they were shown to people: exactly the rows each held
 * back, except those seen again since (their `last_seen_at` moved past the hold), each
 * hold marked accepted with its audit row, all in one transaction. Nothing pending:
 * nothing changes and the answer is an empty list.
 */
export async function acceptRemovals(
  db: Db,
  input: { by: Acceptor; now: Date; policyVersion: string },
): Promise<AcceptedHold[]> {
  const now = input.now.toISOString();
  const actor: AuditActor =
    input.by.kind === 'slack' ? { type: 'slack_user', slackId: input.by.slackId } : { type: 'system', job: 'cli' };
  return db.transaction(async (tx) => {
    const holds = await queryRows<PendingHold>(
      tx,
      sql`select id, org_id, listing, held, held_ids, last_held_at from removal_holds
          where status = 'pending' order by org_id, listing for update`,
    );
    const out: AcceptedHold[] = [];
    for (const h of holds) {
      const ids = JSON.stringify(typeof h.held_ids === 'string' ? JSON.parse(h.held_ids) : h.held_ids);
      const heldAt = new Date(h.last_held_at as string | Date).toISOString();
      const applied = await apply(tx, h.org_id, h.listing, ids, heldAt, now);
      await tx.execute(
        sql`update removal_holds set status = 'accepted', decided_at = ${now}::timestamptz,
            decided_by = ${input.by.kind === 'slack' ? `slack:${input.by.slackId}` : `cli:${input.by.user}`}
            where id = ${h.id}`,
      );
      await appendAudit(tx, {
        actor,
        action: 'sync.removals_accepted',
        subject: { type: 'sync_source', id: 'directory' },
        outcome: 'accepted',
        ...(h.org_id ? { orgId: h.org_id } : {}),
        details: {
          listing: h.listing,
          holdId: Number(h.id),
          held: Number(h.held),
          applied,
          ...(input.by.kind === 'cli' ? { via: 'cli', osUser: input.by.user } : { via: 'slack' }),
        },
        policyVersion: input.policyVersion,
        at: input.now,
      });
      out.push({ listing: h.listing, held: Number(h.held), applied });
    }
    return out;
  });
}

async function apply(
  tx: Executor,
  orgId: string,
  listing: string,
  ids: string,
  heldAt: string,
  now: string,
): Promise<number> {
  if (listing === 'members') {
    const r = await queryRows(
      tx,
      sql`update workspace_members set removed_at = ${now}::timestamptz
          where org_id = ${orgId} and removed_at is null and last_seen_at < ${heldAt}::timestamptz
            and (workspace_id, user_id) in (select s->>0, s->>1 from jsonb_array_elements(${ids}::jsonb) s)
          returning user_id`,
    );
    return r.length;
  }
  const table = TABLE[listing];
  if (!table) return 0;
  const r = await queryRows(
    tx,
    sql`update ${sql.raw(table)} set removed_at = ${now}::timestamptz
        where org_id = ${orgId} and removed_at is null and last_seen_at < ${heldAt}::timestamptz
          and id in (select jsonb_array_elements_text(${ids}::jsonb))
        returning id`,
  );
  return r.length;
}
