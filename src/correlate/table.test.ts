import { describe, expect, it } from 'vitest';
import { assemble } from './assemble.js';
import { dormantKey } from './rules/dormant-key.js';
import { daysAgo, key, NOW, policy, snapshot, user } from '../../test/support/snapshot-builder.js';
import { findingsTable } from './table.js';

describe('findings table', () => {
  it('draws weekly activity with the sparkline Slack shows', () => {
    const s = snapshot({ keys: [key('apikey_busy', { createdAt: daysAgo(45) })] });
    const [finding] = dormantKey(s, policy(), NOW).map((d) => assemble(d, s, new Map(), NOW));
    const lines = findingsTable([{ ...finding!, evidence: { ...finding!.evidence, weekly: [0, 1, 2, 4, 8, 0] } }]);
    expect(lines[1]).toMatch(/ · ▁▂▃▅█▁$/);
  });

  it('aligns kind, subject, owner and why, last activity and the evidence', () => {
    const s = snapshot({
      users: [user('user_bob', { email: 'bob@acme.test' })],
      keys: [
        key('apikey_old', { name: 'forgotten', createdAt: daysAgo(45), createdBy: { type: 'user', id: 'user_bob' } }),
        key('apikey_orphan', { createdAt: daysAgo(31) }),
      ],
    });
    const findings = dormantKey(s, policy(), NOW).map((d) => assemble(d, s, new Map(), NOW));
    const lines = findingsTable(findings);
    expect(lines[0]).toMatch(/^KIND\s+SUBJECT\s+OWNER \(WHY\)\s+LAST ACTIVITY\s+EVIDENCE$/);
    expect(lines[1]).toMatch(
      /^dormant_key\s+forgotten \(apikey_old\)\s+bob@acme.test \(creator\)\s+never\s+idle 45d \(≥30d\) · 7\/30\/90d 0\/0\/0 · req30 0 tok30 0 · ▁{12}$/,
    );
    expect(lines[2]).toMatch(/^dormant_key\s+apikey_orphan\s+nobody: no_creator_recorded\s+never\s+idle 31d/);
    expect(lines[1]!.indexOf('bob@')).toBe(lines[2]!.indexOf('nobody'));
  });
});
