import type { Policy } from '../config/policy.js';
import { parseScope } from '../review/campaigns/rules.js';
import type { CampaignService } from '../review/campaigns/service.js';
import type { Job } from './types.js';

/**
 * One job per campaign the policy schedules (`campaigns:`), named `campaign:<scope>` (a
 * second entry for the same scope gets `#2` …). A tick opens one campaign: runJob's
 * lock and tick row make one replica run it, and the campaign row remembers the tick.
 */
export function campaignJobs(campaigns: Pick<CampaignService, 'start'>, policy: Policy): Job[] {
  const seen = new Map<string, number>();
  return policy.campaigns.map((c) => {
    const n = (seen.get(c.scope) ?? 0) + 1;
    seen.set(c.scope, n);
    const scope = parseScope(c.scope)!; // the policy schema only accepts valid scopes
    return {
      name: `campaign:${c.scope}${n > 1 ? `#${n}` : ''}`,
      schedule: c.cron,
      async run({ scheduledFor }): Promise<Record<string, number>> {
        const r = await campaigns.start({
          scope,
          dueDays: c.due_days,
          startedBySlackId: null,
          via: 'schedule',
          scheduledFor,
          approver: c.approver ?? null,
        });
        if (!r) return { campaignsOpened: 0 };
        return {
          campaignsOpened: 1,
          campaign: r.number,
          items: r.items,
          opened: r.opened.length,
          joined: r.joined,
          delivered: r.sent.delivered + r.sent.rerouted,
          undelivered: r.sent.failed,
        };
      },
    };
  });
}
