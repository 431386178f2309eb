import { parseScope } from '../../review/campaigns/rules.js';

/** `/steward campaign …` and `/steward export campaign <id>` (issue 16), parsed. Pure. */
export type CampaignCommand =
  | { action: 'start'; scope: string; dueDays: number | null }
  | { action: 'status'; ref: string | null }
  | { action: 'close'; ref: string; mode: 'skip' | 'revoke' | 'escalate' | null }
  | { action: 'export'; ref: string };

export const CAMPAIGN_MAX_DUE_DAYS = 365;

const USAGE =
  '`campaign start <seats|keys|admins|workspace:<id>|org:<id or "name">|all> [due days]`, `campaign status [id]` or `campaign close <id> [skip|revoke|escalate]`';

const REF = /^#?\d{1,9}$/;

export function parseCampaignArgs(
  args: string[],
): { ok: true; command: CampaignCommand } | { ok: false; error: string } {
  const [action, ...rest] = args;
  const fail = (error: string) => ({ ok: false as const, error });
  switch (action?.toLowerCase()) {
    case 'start': {
      const [scope, days, ...extra] = rest;
      if (!scope || extra.length > 0) return fail(`\`campaign start\` takes a scope and optional due days: ${USAGE}.`);
      if (!parseScope(scope))
        return fail(
          `\`${clip(scope)}\` is not a campaign scope: seats, keys, admins, workspace:<id>, org:<id or name> or all.`,
        );
      if (days === undefined) return { ok: true, command: { action: 'start', scope, dueDays: null } };
      const n = /^\d+$/.test(days) ? Number(days) : NaN;
      if (!(n >= 1 && n <= CAMPAIGN_MAX_DUE_DAYS))
        return fail(`Due days must be a whole number from 1 to ${CAMPAIGN_MAX_DUE_DAYS}; got \`${clip(days)}\`.`);
      return { ok: true, command: { action: 'start', scope, dueDays: n } };
    }
    case 'status': {
      if (rest.length === 0) return { ok: true, command: { action: 'status', ref: null } };
      if (rest.length > 1 || !REF.test(rest[0]!)) return fail('`campaign status` takes an optional campaign number.');
      return { ok: true, command: { action: 'status', ref: rest[0]!.replace('#', '') } };
    }
    case 'close': {
      const [ref, mode, ...extra] = rest;
      if (!ref || !REF.test(ref) || extra.length > 0)
        return fail(`\`campaign close\` takes a campaign number: ${USAGE}.`);
      if (mode !== undefined && mode !== 'skip' && mode !== 'revoke' && mode !== 'escalate')
        return fail(`What is left is handled as \`skip\`, \`revoke\` or \`escalate\`; got \`${clip(mode)}\`.`);
      return { ok: true, command: { action: 'close', ref: ref.replace('#', ''), mode: mode ?? null } };
    }
    default:
      return fail(`Unknown campaign command: ${USAGE}.`);
  }
}

/** `/steward export campaign <id>`. */
export function parseCampaignExport(
  args: string[],
): { ok: true; command: CampaignCommand } | { ok: false; error: string } {
  if (args.length !== 1 || !REF.test(args[0]!))
    return { ok: false, error: '`export campaign` takes a campaign number, e.g. `/steward export campaign 3`.' };
  return { ok: true, command: { action: 'export', ref: args[0]!.replace('#', '') } };
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
