import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WITNESS_EVENT_TYPE } from '../../src/audit/witness.js';
import { checkWitnesses } from '../../src/audit/witness-check.js';
import { defaultPolicy, parsePolicy } from '../../src/config/policy.js';
import { slackWitnessBoard } from '../../src/slack/witness-board.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { appendRows, readChain } from './fixtures.js';
import { auditKeyEnv, K1, signWith } from './keys.js';

/** The audit_witness job, as the scheduler runs it, in the whole product wired to the simulators. */
describe('the audit_witness job', { timeout: 120_000 }, () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { STEWARD_AUDIT_KEY: auditKeyEnv(K1) } });
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
    signWith();
  });

  it('is scheduled daily by default, and the policy can move it', () => {
    expect(defaultPolicy().policy.schedule.audit_witness).toBe('55 23 * * *');
    expect(parsePolicy('schedule:\n  audit_witness: "0 */6 * * *"\n', 'p.yaml').policy.schedule.audit_witness).toBe(
      '0 */6 * * *',
    );
    expect(h.steward.services.jobs.map((j) => j.name)).toContain('audit_witness');
  });

  it('posts the keyed head to the security channel; the post reads back and holds', async () => {
    await appendRows(h.db.db, 4);
    const outcome = await h.steward.runJob('audit_witness');
    expect(outcome).toMatchObject({ status: 'succeeded', counts: { witnessedSeq: 4 } });
    const chain = await readChain(h.db.db);
    // Steward signs with the key of its configuration; the job's own run is audited after the post.
    expect(chain.map((r) => r.macKeyId)).toEqual(['k1', 'k1', 'k1', 'k1', 'k1']);
    expect(chain[4]).toMatchObject({ action: 'job.completed', actorLabel: 'audit_witness' });
    const posted = h.slack.state.history(h.securityChannel).at(-1);
    expect(posted).toMatchObject({
      bot_id: h.slack.state.botId,
      metadata: { event_type: WITNESS_EVENT_TYPE, event_payload: { seq: 4, hash: chain[3]!.hash, key_id: 'k1' } },
    });

    const board = slackWitnessBoard({ client: h.steward.services.client, channel: h.securityChannel });
    const reading = await board.read();
    expect(reading).toMatchObject({
      heads: [{ seq: 4, hash: chain[3]!.hash, keyId: 'k1', edited: false }],
      ignored: 0,
    });
    expect(await checkWitnesses(h.db.db, reading.heads)).toMatchObject({ witnessed: 1, headSeq: 5, violations: [] });
  });

  it('offers a witness on demand (for a campaign close) through the services', async () => {
    const head = await h.steward.services.witness.postHead();
    const chain = await readChain(h.db.db);
    expect(head).toMatchObject({ seq: chain.length, hash: chain.at(-1)!.hash, keyId: 'k1' });
    expect(h.slack.state.history(h.securityChannel).at(-1)?.ts).toBe(head?.ts);
  });
});
