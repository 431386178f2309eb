import { describe, expect, it } from 'vitest';
import { sandboxScenario } from './sandbox-org.js';

const NOW = new Date('2026-06-15T12:00:00.000Z');
const make = (people = 50, keys = 80, days = 120) => sandboxScenario({ people, keys, days, now: NOW });

describe('the sandbox scenario', () => {
  it('has exactly the people, keys and days asked for, and is the same every time', () => {
    for (const [people, keys, days] of [
      [50, 80, 120],
      [12, 16, 90],
      [400, 900, 365],
    ] as const) {
      const s = make(people, keys, days);
      expect(s.users).toHaveLength(people);
      expect(s.apiKeys).toHaveLength(keys);
      const oldest = s.activities[0]!.created_at;
      expect(Math.round((NOW.getTime() - Date.parse(oldest)) / 86_400_000)).toBeLessThanOrEqual(days);
      expect(new Set(s.people.map((p) => p.email)).size).toBe(people);
    }
    expect(JSON.stringify(make())).toBe(JSON.stringify(make()));
  });

  it('plants one unowned key per reason, the anomalies, a stale invite, and dormant seats and keys that scale', () => {
    const s = make();
    const reasons = s.expectedFindings.filter((f) => f.kind === 'unowned_key').map((f) => f.unownedReason ?? '');
    expect(reasons.sort()).toEqual([
      'creator_removed',
      'creator_unknown',
      'no_creator_recorded',
      'principal_removed',
      'principal_unknown',
      'service_account_unowned',
    ]);
    const kinds = (x: ReturnType<typeof make>) =>
      x.expectedFindings.reduce<Record<string, number>>((m, f) => ({ ...m, [f.kind]: (m[f.kind] ?? 0) + 1 }), {});
    expect(kinds(s)).toMatchObject({ usage_spike: 1, privilege_grant: 1, stale_admin: 1, stale_invite: 1 });
    expect(kinds(make(200, 400)).dormant_seat!).toBeGreaterThan(kinds(s).dormant_seat! * 3);
    expect(kinds(make(200, 400)).dormant_key!).toBeGreaterThan(kinds(s).dormant_key! * 3);
    expect(s.viewsOnlyFindings.map((f) => f.kind).sort()).toEqual(['dormant_key', 'dormant_seat']);
  });

  it('puts nothing in the future of now and no usage before a key existed', () => {
    const s = make(60, 120, 200);
    for (const a of s.activities) expect(Date.parse(a.created_at)).toBeLessThanOrEqual(NOW.getTime());
    const created = new Map(s.apiKeys.map((k) => [k.wire.id, k.wire.created_at.slice(0, 10)]));
    for (const u of s.keyUsage) expect(u.date >= created.get(u.apiKeyId)!, u.apiKeyId).toBe(true);
    for (const l of [...s.users, ...s.apiKeys, ...s.invites])
      expect(Date.parse(l.firstSeenAt)).toBeLessThanOrEqual(NOW.getTime());
  });

  it('refuses sizes outside its limits, naming them', () => {
    expect(() => make(11)).toThrow('people must be a whole number from 12 to 2000');
    expect(() => make(50, 15)).toThrow('keys must be a whole number from 16 to 5000');
    expect(() => make(50, 80, 89)).toThrow('days must be a whole number from 90 to 365');
  });
});
