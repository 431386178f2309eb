import { sql } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import type { Executor } from '../db/types.js';
import { StewardError } from '../domain/errors.js';
import type { Target } from '../domain/target.js';
import type { PassScope } from './load/params.js';
import type { OrgRef } from './result.js';

/** One pass of a correlation run: one organisation's world (issue 17). */
export interface OrgPass extends OrgRef {
  scope: PassScope & { org: string };
}

/**
 * The passes a run makes (issue 17): one per identified organisation, then one over the rows
 * not identified yet ('') while any directory row or open finding still has them; with no
 * organisation identified at all, the one '' pass (single-organisation Steward). The first
 * organisation (its key reads, then the first configured key, then the earliest identified)
 * also reports the unknown actors of activity that names no organisation, so each is one
 * finding. `org:<id or name>` keeps that organisation's pass only; an organisation nobody has
 * identified is a bad target, named.
 */
export async function correlationPasses(ex: Executor, target: Target): Promise<OrgPass[]> {
  const orgs = await queryRows<{ id: string; name: string }>(
    ex,
    sql`select id, name from organizations
        order by (key_state = 'ok') desc,
                 case when key_ref ~ ' entry [0-9]+$' then substring(key_ref from ' entry ([0-9]+)$')::int
                      when key_ref is not null then 1 end nulls last,
                 first_seen_at, id`,
  );
  const [flags] = await queryRows<{ unidentified: boolean; orgless: boolean }>(
    ex,
    sql`select (exists (select 1 from org_users where org_id = '') or exists (select 1 from api_keys where org_id = '')
                or exists (select 1 from service_accounts where org_id = '') or exists (select 1 from invites where org_id = '')
                or exists (select 1 from workspaces where org_id = '') or exists (select 1 from workspace_members where org_id = '')
                or exists (select 1 from findings where org_id = '' and status = 'open')) as unidentified,
               ${orglessActivitySql()} as orgless`,
  );
  const orglessActivity = Boolean(flags?.orgless);
  const passes: OrgPass[] = orgs.map((o, i) => ({
    id: String(o.id),
    name: String(o.name),
    scope: { org: String(o.id), orglessActivity, orglessActors: i === 0 },
  }));
  if (orgs.length === 0 || flags?.unidentified)
    passes.push({ id: '', name: null, scope: { org: '', orglessActivity, orglessActors: orgs.length === 0 } });
  if (target.kind !== 'org') return passes;
  const named = target.org;
  const pass =
    passes.find((p) => p.id !== '' && p.id === named) ??
    passes.find((p) => p.name !== null && p.name.toLowerCase() === named.toLowerCase());
  if (!pass) throw new StewardError('bad_target', `No organisation has the id or name "${named}".`, { retry: false });
  // Alone, it reports the org-less unknown actors only if it would have in a full run.
  return [pass];
}

/** Whether no activity summary names an organisation (then it is joined, not merged); a range of the key. */
function orglessActivitySql() {
  return sql`not exists (select 1 from principal_activity_summary where org_id > '')`;
}

/** Every organisation Steward has identified, with its name as last given. */
export async function identifiedOrganizations(ex: Executor): Promise<OrgRef[]> {
  const rows = await queryRows<{ id: string; name: string }>(ex, sql`select id, name from organizations order by id`);
  return rows.map((r) => ({ id: String(r.id), name: String(r.name) }));
}
