import type { Policy } from '../../config/policy.js';
import { addDays, utcDay } from '../days.js';
import type { Target } from '../../domain/target.js';

/**
 * The day cut-offs the loader prefilters with, from the same policy the rules apply.
 * A principal whose reference day is on or before a cut-off is idle for at least the
 * threshold; null means the rule is off and nothing is loaded for it.
 */
export interface LoadParams {
  now: Date;
  today: string;
  seatCut: string | null;
  /** `findings.dormant_seat.count_views`: whether a seat's `*_viewed` events count as use. */
  seatCountsViews: boolean;
  keyCut: string | null;
  adminCut: string | null;
  inviteCut: string | null;
  unownedKeys: boolean;
  afterRemoval: boolean;
  /** First day of the anomaly lookback window. */
  windowStart: string;
  spike: { from: string; floor: number; factor: number; baselineDays: number } | null;
  target: Target;
  /**
   * The organisation a pass reads (issue 17): every directory and usage query keeps to rows
   * with this `org_id` ('' = the rows not identified yet). Null reads every organisation at
   * once (the campaign inventory, whose ids are looked up across organisations).
   */
  org: string | null;
  /**
   * No activity row names an organisation: a principal's activity is its one '' row, so the
   * summary is joined directly instead of merged (the path of a single unidentified organisation).
   */
  orglessActivity: boolean;
  /**
   * This pass reports the unknown actors of activity that names no organisation (one pass
   * does, so an org-less actor is one finding, not one per organisation).
   */
  orglessActors: boolean;
}

/** Which organisation's rows a pass reads; see `LoadParams.org`. */
export type PassScope = Pick<LoadParams, 'org' | 'orglessActivity' | 'orglessActors'>;

export const EVERY_ORG: PassScope = { org: null, orglessActivity: false, orglessActors: true };

export function loadParams(policy: Policy, now: Date, target: Target, scope: PassScope = EVERY_ORG): LoadParams {
  const today = utcDay(now);
  const f = policy.findings;
  const a = policy.anomalies;
  const cut = (enabled: boolean, days: number) => (enabled ? addDays(today, -days) : null);
  const windowStart = addDays(today, -a.lookback_days);
  return {
    now,
    today,
    seatCut: cut(f.dormant_seat.enabled, f.dormant_seat.days),
    seatCountsViews: f.dormant_seat.count_views,
    keyCut: cut(f.dormant_key.enabled, f.dormant_key.days),
    adminCut: cut(f.stale_admin.enabled, f.stale_admin.days),
    inviteCut: cut(f.stale_invite.enabled, f.stale_invite.days),
    unownedKeys: f.unowned_key.enabled,
    afterRemoval: a.activity_after_removal.enabled,
    windowStart,
    spike: a.usage_spike.enabled
      ? {
          // Far enough back to find where an episode still running in the window began.
          from: addDays(windowStart, -a.usage_spike.baseline_days),
          floor: a.usage_spike.min_requests,
          factor: a.usage_spike.factor,
          baselineDays: a.usage_spike.baseline_days,
        }
      : null,
    target,
    org: scope.org,
    orglessActivity: scope.orglessActivity,
    orglessActors: scope.orglessActors,
  };
}
