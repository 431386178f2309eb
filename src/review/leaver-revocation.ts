import type { PlannedAction } from '../domain/actions.js';
import type { Evidence } from '../domain/evidence.js';

interface Holding {
  type: string;
  id: string;
  label: string;
}

/** The accesses a leaver alert lists (correlate's `leaver` rule puts them in the evidence). */
export function leaverHoldings(e: Evidence): Holding[] {
  if (e.kind !== 'leaver') return [];
  const list = e.anomaly?.holdings;
  return Array.isArray(list) ? (list as Holding[]).filter((h) => typeof h?.id === 'string') : [];
}

/**
 * What **Revoke all** does besides removing the member (which ends their seat and
 * roles): every live key they created or that acts as them is deactivated, each its own
 * outbox action with its own idempotency key.
 */
export function leaverExtraRevocations(e: Evidence): PlannedAction[] {
  return leaverHoldings(e)
    .filter((h) => h.type === 'api_key')
    .map((h) => ({
      kind: 'deactivate_key' as const,
      targetType: 'api_key',
      targetId: h.id,
      params: { label: h.label },
      restorable: true,
      description: `Deactivate the key ${h.label}`,
    }));
}
