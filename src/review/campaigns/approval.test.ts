import { describe, expect, it } from 'vitest';
import { approvalOf, chooseApprover } from './approval.js';

describe('two-level review rules', () => {
  it('the approver is never the first reviewer or the holder', () => {
    expect(chooseApprover('U0APPROVER', ['UADA', 'UOLGA'], ['UBOB'], 'k')).toBe('U0APPROVER');
    expect(chooseApprover('U0APPROVER', [], ['U0APPROVER'], 'k')).toBeNull();
    expect(chooseApprover('admins', ['UADA', 'UOLGA'], ['UOLGA'], 'k')).toBe('UADA');
    expect(chooseApprover('admins', ['UADA', 'UOLGA'], ['UOLGA', 'UADA'], 'k')).toBeNull();
    expect(chooseApprover('admins', [], [], 'k')).toBeNull();
  });

  it('shares admins out by a stable hash of the item', () => {
    const admins = ['UA', 'UB', 'UC', 'UD'];
    const picks = Array.from({ length: 40 }, (_, i) => chooseApprover('admins', admins, [], `item-${i}`));
    expect(new Set(picks).size).toBeGreaterThan(1);
    expect(chooseApprover('admins', [...admins].reverse(), [], 'item-3')).toBe(picks[3]);
  });

  it('confirmed when the approver decides as the first reviewer did, else overridden', () => {
    expect(approvalOf({ decision: 'keep' }, 'keep')).toBe('confirmed');
    expect(approvalOf({ decision: 'keep' }, 'revoke')).toBe('overridden');
    expect(approvalOf({ decision: 'revoke' }, 'keep')).toBe('overridden');
  });
});
