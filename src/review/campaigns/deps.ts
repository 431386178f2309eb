import type { AuditWitness } from '../../audit/witness.js';
import type { ReviewDeps } from '../deps.js';
import type { CampaignAccess, CampaignScope } from './rules.js';

/**
 * Every access in a scope with the evidence a finding's review would show. Correlation
 * (upstream) builds evidence, so it implements this (correlate/inventory.ts); review
 * declares it and never imports correlation.
 */
export interface AccessInventory {
  accessesIn(scope: CampaignScope, now: Date): Promise<CampaignAccess[]>;
}

export interface CampaignDeps extends ReviewDeps {
  inventory: AccessInventory;
  /** Posts the audit chain's head after a campaign closes, when the witness is set up. */
  witness?: Pick<AuditWitness, 'postHead'>;
}
