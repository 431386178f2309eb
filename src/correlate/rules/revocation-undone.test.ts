import { describe, expect, it } from 'vitest';
import type { KeyStatusChange, StewardDeactivation } from '../types.js';
import { daysAgo, NOW, policy, snapshot } from '../../../test/support/snapshot-builder.js';
import { revocationUndone } from './revocation-undone.js';

const MIN = 60_000;
const at = (d: Date, minutes: number) => new Date(d.getTime() + minutes * MIN);

const decided = daysAgo(3);
const deactivation = (over: Partial<StewardDeactivation> = {}): StewardDeactivation => ({
  actionId: 'act_1',
  keyId: 'apikey_ci',
  requestedAt: decided,
  completedAt: at(decided, 1),
  review: {
    id: 'rev_1',
    kind: 'dormant_key',
    decision: 'revoke',
    decidedBySlackId: 'U_BOB',
    decidedAt: decided,
    reason: null,
  },
  ...over,
});

const STEWARD = { actorType: 'admin_api_key_actor', actorId: 'admin_api_key_steward', actorEmail: null };
const change = (
  id: string,
  when: Date,
  current: string,
  actor: Pick<KeyStatusChange, 'actorType' | 'actorId' | 'actorEmail'> = STEWARD,
): KeyStatusChange => ({
  activityId: id,
  keyId: 'apikey_ci',
  at: when,
  ...actor,
  previous: current === 'active' ? 'inactive' : 'active',
  current,
});
const ALICE = { actorType: 'user_actor', actorId: 'user_alice', actorEmail: 'alice@example.com' };
const OTHER_KEY = { actorType: 'admin_api_key_actor', actorId: 'admin_api_key_script', actorEmail: null };

const run = (changes: KeyStatusChange[], d = deactivation(), yaml = '') =>
  revocationUndone({ ...snapshot(), stewardDeactivations: [d], keyStatusChanges: changes }, policy(yaml), NOW);

describe('revocation_undone', () => {
  it('fires for the first change back to active by someone other than Steward, naming the decision it undid', () => {
    const out = run([
      change('act_steward_off', at(decided, 0.5), 'inactive'),
      change('act_alice_on', daysAgo(1), 'active', ALICE),
      change('act_script_off', at(daysAgo(1), 10), 'inactive', OTHER_KEY),
      change('act_script_on', at(daysAgo(1), 20), 'active', OTHER_KEY),
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      kind: 'revocation_undone',
      fingerprint: 'revocation_undone:api_key:apikey_ci:act_alice_on',
      subject: { type: 'api_key', id: 'apikey_ci' },
      anomaly: {
        activityId: 'act_alice_on',
        reactivatedBy: { type: 'user_actor', id: 'user_alice' },
        undid: { actionId: 'act_1', reviewId: 'rev_1', decision: 'revoke', decidedBySlackId: 'U_BOB' },
      },
    });
    expect(out[0]!.rule).toMatch(
      /^API key apikey_ci was set back to active at .* by alice@example.com, after Steward deactivated it at .*: this undoes the Revoke decided by Slack user U_BOB at .* \(review rev_1, dormant_key\)\.$/,
    );
  });

  it('does not fire for Steward’s own credential, nor for changes before Steward’s deactivation', () => {
    expect(
      run([
        change('act_alice_on_early', at(decided, -30), 'active', ALICE),
        change('act_steward_off', at(decided, 0.5), 'inactive'),
        change('act_steward_on', daysAgo(1), 'active'),
      ]),
    ).toEqual([]);
  });

  it('another admin key is not Steward; without Steward’s own record only changes after completion count', () => {
    expect(run([change('act_script_on', daysAgo(1), 'active', OTHER_KEY)]).map((d) => d.fingerprint)).toEqual([
      'revocation_undone:api_key:apikey_ci:act_script_on',
    ]);
    expect(run([change('act_before_done', at(decided, 0.5), 'active', OTHER_KEY)])).toEqual([]);
  });

  it('stays quiet outside the lookback window, and when the policy turns it off', () => {
    const old = deactivation({ requestedAt: daysAgo(40), completedAt: at(daysAgo(40), 1) });
    expect(run([change('act_old_on', daysAgo(30), 'active', ALICE)], old)).toEqual([]);
    expect(
      run(
        [change('act_alice_on', daysAgo(1), 'active', ALICE)],
        deactivation(),
        'anomalies:\n  revocation_undone:\n    enabled: false\n',
      ),
    ).toEqual([]);
  });

  it('a timeout revoke is named as such', () => {
    const d = deactivation({
      review: {
        id: 'rev_2',
        kind: 'dormant_key',
        decision: 'timeout_revoke',
        decidedBySlackId: null,
        decidedAt: decided,
        reason: null,
      },
    });
    expect(run([change('act_alice_on', daysAgo(1), 'active', ALICE)], d)[0]!.rule).toMatch(
      /undoes the timeout revoke taken when the review timed out at .* \(review rev_2, dormant_key\)\.$/,
    );
  });
});
