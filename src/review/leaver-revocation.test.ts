import { describe, expect, it } from 'vitest';
import type { OutboxAction } from '../actions/outbox.js';
import type { Evidence } from '../domain/evidence.js';
import { holdingAction, holdingRevocation, leaverExtraRevocations, leaverHoldings } from './leaver-revocation.js';

const holdings = [
  { type: 'seat', id: 'u_dan', label: 'dan@acme.test' },
  { type: 'org_role', id: 'u_dan', label: 'membership_admin' },
  { type: 'workspace_admin', id: 'wrkspc_data', label: 'Data' },
  { type: 'api_key', id: 'k_1', label: 'dan-cli (sk-…abcd)' },
];
const e = {
  kind: 'leaver',
  subject: { type: 'user', id: 'u_dan', label: 'dan@acme.test' },
  anomaly: { holdings, unownedKeys: [{ type: 'api_key', id: 'k_shared', label: 'etl' }] },
} as unknown as Evidence;
const action = (kind: string, targetId: string) => ({ kind, targetId }) as OutboxAction;

describe('a leaver’s accesses, one Revoke each', () => {
  it('plans the smallest removal per access, with the idempotency target Revoke all uses', () => {
    const plans = leaverHoldings(e).map((h) => {
      const p = holdingRevocation(h, e)!;
      return `${p.kind}:${p.targetId}`;
    });
    expect(plans).toEqual([
      'remove_member:u_dan',
      'lower_org_role:u_dan',
      'lower_workspace_role:wrkspc_data/u_dan',
      'deactivate_key:k_1',
    ]);
    expect(holdingRevocation(holdings[2]!, e)!.params).toMatchObject({ workspaceId: 'wrkspc_data', userId: 'u_dan' });
    expect(leaverExtraRevocations(e).map((p) => p.targetId)).toEqual(['k_1']);
  });

  it('an access is under way when its own action exists; a role also when the member is being removed', () => {
    expect(holdingAction(holdings[3]!, e, [])).toBeNull();
    expect(holdingAction(holdings[3]!, e, [action('deactivate_key', 'k_1')])).not.toBeNull();
    expect(holdingAction(holdings[3]!, e, [action('deactivate_key', 'k_other')])).toBeNull();
    const removal = [action('remove_member', 'u_dan')];
    expect(holdingAction(holdings[1]!, e, removal)?.kind).toBe('remove_member');
    expect(holdingAction(holdings[2]!, e, removal)?.kind).toBe('remove_member');
    expect(holdingAction(holdings[3]!, e, removal)).toBeNull();
  });

  it('keys others still use are not holdings', () => {
    expect(leaverHoldings(e).some((h) => h.id === 'k_shared')).toBe(false);
    expect(leaverHoldings({ ...e, kind: 'dormant_key' })).toEqual([]);
  });
});
