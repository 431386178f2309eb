import type { AttestService } from './attest/service.js';
import type { ReviewDeps } from './deps.js';
import type { KeepEndingService } from './keep-renew.js';
import { applyLeaverPolicy, recordDepartures, type SlackAccounts } from './leavers.js';

export interface LifecycleDeps extends ReviewDeps {
  accounts: SlackAccounts;
  attest: AttestService;
  /** "Your Keep ends in 7 days" (optional where no Slack notifier is wired). */
  keepEnding?: Pick<KeepEndingService, 'run'>;
}

/**
 * Joiner–mover–leaver (issue 20), run by the hourly sync job around its alert pass:
 * before it, who left Slack (so `leaver` alerts go out in the same pass); after it, the
 * leaver policy, the attestation requests for access created since the last sync, and the
 * "your Keep ends in 7 days" DMs.
 * A Slack outage here is logged and retried next hour; it never stops the alerts.
 */
export function createLifecycleService(deps: LifecycleDeps) {
  const log = deps.logger.child({ job: 'lifecycle' });
  const guarded = async <T extends Record<string, number>>(what: string, fn: () => Promise<T>) => {
    try {
      return await fn();
    } catch (err) {
      log.warn({ err }, `${what} failed; tried again on the next sync`);
      return { [`${what}Failed`]: 1 } as Record<string, number>;
    }
  };
  return {
    beforeAlerts: () => guarded('departures', () => recordDepartures(deps, deps.accounts)),
    async afterAlerts(): Promise<Record<string, number>> {
      const leavers = await guarded('leaverPolicy', () => applyLeaverPolicy(deps));
      const attest = await guarded('attest', () => deps.attest.run());
      const keepEnding = deps.keepEnding ? await guarded('keepEnding', () => deps.keepEnding!.run()) : {};
      return { ...leavers, ...attest, ...keepEnding };
    },
  };
}

export type LifecycleService = ReturnType<typeof createLifecycleService>;
