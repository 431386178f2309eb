import { afterEach, describe, expect, it } from 'vitest';
import { createCorrelationService } from '../../src/correlate/service.js';
import { readComplianceState } from '../../src/db/compliance-state.js';
import { complianceNotices } from '../../src/http/health.js';
import { createLogger } from '../../src/log.js';
import { resultLine } from '../../src/sync/progress-line.js';
import { actors } from '../../src/sim/anthropic/index.js';
import { DAY } from './feed-fixtures.js';
import { NOW, policyWith, startRig, type SyncRig } from './helpers.js';

/**
 * Issue 13 item 9: with the Compliance API off (`GET /v1/organizations/compliance_settings`),
 * activity cannot be read. The sync says so plainly and reads nothing of the feed, readiness
 * carries the notice, and correlation raises no dormancy finding from the missing data (nor
 * resolves one it cannot check); once it is on again, all of it comes back.
 */
let rig: SyncRig;
afterEach(async () => rig?.close());

async function dormant() {
  const r = await createCorrelationService({
    db: rig.db.db,
    logger: createLogger({ level: 'silent' }),
    policy: policyWith(''),
    now: () => NOW,
  }).correlate({});
  return r.findings.filter((f) => f.kind === 'dormant_seat').map((f) => f.subject.id);
}

describe('Compliance API off', { timeout: 120_000 }, () => {
  it('says so in the sync, the readiness notice and correlation, and raises no dormancy from missing data', async () => {
    rig = await startRig({ complianceEnabled: false });
    const idle = rig.sim.state.addUser({ email: 'ida@example.com', addedAt: NOW.getTime() - 200 * DAY });
    const r = await rig.service().run({ sources: ['directory', 'activities'] });
    const a = r.sources.find((s) => s.source === 'activities')!;
    expect(a.status).toBe('not_available');
    expect(a.notes).toEqual([
      expect.stringMatching(/^The Compliance API is off for this organisation: activity cannot be read/),
    ]);
    expect(resultLine(a)).toMatch(/not available: The Compliance API is off/);
    expect(rig.sim.calls.byOp('compliance.activities')).toEqual([]);
    expect(await readComplianceState(rig.db.db)).toEqual({ enabled: false, checkedAt: NOW.toISOString() });
    expect(await complianceNotices(rig.db)()).toEqual([expect.stringMatching(/Compliance API is off.*\(checked /)]);

    // Ida has no activity on record at all, but that is missing data: no dormant seat.
    expect(await dormant()).toEqual([]);

    // Turned on, with Ida still idle: the feed is read, the notice goes, and she is dormant.
    rig.sim.config.complianceEnabled = true;
    rig.sim.state.addActivity({
      type: 'claude_chat_created',
      actor: actors.user(idle.id, idle.email),
      created_at: NOW.getTime() - 90 * DAY,
    });
    const r2 = await rig.service().run({ sources: ['activities'] });
    expect(r2.sources[0]?.status).toBe('succeeded');
    expect(await complianceNotices(rig.db)()).toEqual([]);
    expect(await dormant()).toEqual([idle.id]);

    // Off again: the open finding is neither raised anew nor resolved for want of data.
    rig.sim.config.complianceEnabled = false;
    await rig.service().run({ sources: ['activities'] });
    const r3 = await createCorrelationService({
      db: rig.db.db,
      logger: createLogger({ level: 'silent' }),
      policy: policyWith(''),
      now: () => NOW,
    }).correlate({});
    expect(r3.resolved).toEqual([]);
  });
});
