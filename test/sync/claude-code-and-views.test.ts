import { afterEach, describe, expect, it } from 'vitest';
import { createCorrelationService } from '../../src/correlate/service.js';
import { byText } from '../helpers/order.js';
import { createLogger } from '../../src/log.js';
import { actors } from '../../src/sim/anthropic/index.js';
import { DAY } from './feed-fixtures.js';
import { NOW, one, policyWith, startRig, type SyncRig } from './helpers.js';
import { sql } from 'drizzle-orm';

/**
 * Issue 13 items 6 and 8, end to end: sync from the simulator (the feed, the Claude Code usage
 * report through its own fetch client), then correlation. Background `*_viewed` activity does not
 * keep a seat from dormancy (unless the policy says it should); a Claude Code session does, and
 * so does a key used only through Claude Code. A key name two keys share is reported, not guessed.
 */
let rig: SyncRig;
afterEach(async () => rig?.close());

const day = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY).toISOString().slice(0, 10);
const at = (daysAgo: number) => NOW.getTime() - daysAgo * DAY;

async function seed() {
  rig = await startRig();
  const s = rig.sim.state;
  const added = at(200);
  const vera = s.addUser({ email: 'vera@example.com', name: 'Vera', addedAt: added });
  const cody = s.addUser({ email: 'cody@example.com', name: 'Cody', addedAt: added });
  const walt = s.addUser({ email: 'walt@example.com', name: 'Walt', addedAt: added });
  // Vera last wrote something 60 days ago; since then her open tab only reloads old conversations.
  s.addActivity({ type: 'claude_chat_created', actor: actors.user(vera.id, vera.email), created_at: at(60) });
  for (const d of [40, 20, 5, 2])
    s.addActivity({ type: 'claude_chat_viewed', actor: actors.user(vera.id, vera.email), created_at: at(d) });
  // Cody only views in the app, but runs Claude Code sessions.
  s.addActivity({ type: 'claude_project_viewed', actor: actors.user(cody.id, cody.email), created_at: at(50) });
  s.addClaudeCodeUsage({ date: day(3), userEmail: 'Cody@Example.com', sessions: 2 });
  // Walt works in the app.
  s.addActivity({ type: 'claude_chat_created', actor: actors.user(walt.id, walt.email), created_at: at(2) });

  const created = at(100);
  const ccOnly = s.addApiKey({ name: 'cc-laptop', createdAt: created, createdBy: { id: cody.id, type: 'user' } });
  const idle = s.addApiKey({ name: 'old-batch', createdAt: created, createdBy: { id: walt.id, type: 'user' } });
  const twinA = s.addApiKey({ name: 'shared', createdAt: created, createdBy: { id: walt.id, type: 'user' } });
  const twinB = s.addApiKey({ name: 'shared', createdAt: created, createdBy: { id: walt.id, type: 'user' } });
  s.addClaudeCodeUsage({ date: day(4), apiKeyName: 'cc-laptop', sessions: 1 });
  s.addClaudeCodeUsage({ date: day(4), apiKeyName: 'shared', sessions: 5 });
  return { vera, cody, walt, ccOnly, idle, twinA, twinB };
}

async function dormant(yaml = '') {
  const result = await createCorrelationService({
    db: rig.db.db,
    logger: createLogger({ level: 'silent' }),
    policy: policyWith(yaml),
    now: () => NOW,
  }).correlate({ dryRun: true });
  return result.findings.filter((f) => f.kind === 'dormant_seat' || f.kind === 'dormant_key');
}

describe('what counts as use', { timeout: 120_000 }, () => {
  it('only background views: dormant; a Claude Code session or key use: not; an ambiguous key name: reported', async () => {
    const o = await seed();
    const r = await rig.service().run();
    const cc = r.sources.find((x) => x.source === 'claude_code')!;
    expect(cc).toMatchObject({ status: 'succeeded', counts: { principal_days: 2, ambiguous_key_names: 1 } });
    expect(cc.notes).toEqual([
      'the key name "shared" belongs to more than one API key: its Claude Code use is credited to none of them',
    ]);
    expect(rig.logLines.some((l) => l.includes('shared') && l.includes('belongs to more than one API key'))).toBe(true);
    // Through the real fetch client: one request per day read.
    expect(rig.sim.calls.byOp('usageReport.claudeCode').length).toBeGreaterThan(30);
    expect(
      await one(rig.db.db, sql`select principal_id, sessions from claude_code_daily where principal_type = 'user'`),
    ).toEqual({ principal_id: o.cody.id, sessions: 2 });

    const found = await dormant();
    expect(found.map((f) => `${f.kind} ${f.subject.id}`).sort(byText)).toEqual(
      [
        `dormant_seat ${o.vera.id}`,
        `dormant_key ${o.idle.id}`,
        // Claude Code use by "shared" could be either key's: credited to neither, so both stay dormant.
        `dormant_key ${o.twinA.id}`,
        `dormant_key ${o.twinB.id}`,
      ].sort(byText),
    );
    const vera = found.find((f) => f.subject.id === o.vera.id)!;
    expect(vera.evidence.rule).toBe(
      `No activity for 60 days, only background views since ${day(60)} (last ${day(2)}) (policy: dormant after 30 days).`,
    );

    // Under findings.dormant_seat.count_views, the views count.
    const counted = await dormant('findings:\n  dormant_seat: { count_views: true }\n');
    expect(counted.some((f) => f.subject.id === o.vera.id)).toBe(false);
  });

  it('a transient fault is retried; a failure part-way resumes from the checkpoint without reading the days again', async () => {
    await seed();
    await rig.service().run({ sources: ['directory'] });
    const transient = rig.sim.faults.add({ op: 'usageReport.claudeCode', kind: 'server_error', after: 5 });
    const lasting = rig.sim.faults.add({
      op: 'usageReport.claudeCode',
      kind: 'server_error',
      shouldRetry: false,
      after: 20,
    });
    const r = await rig.service().run({ sources: ['claude_code'] });
    expect(transient.fired).toBe(1);
    expect(lasting.fired).toBe(1);
    expect(r.sources[0]).toMatchObject({ status: 'failed', error: { code: 'anthropic_unavailable', retry: false } });
    const days = rig.sim.calls.byOp('usageReport.claudeCode').map((c) => String(c.query['starting_at']));
    const failedOn = days.at(-1)!;

    rig.sim.faults.clear();
    rig.sim.calls.clear();
    const r2 = await rig.service().run({ sources: ['claude_code'] });
    expect(r2.sources[0]?.status).toBe('succeeded');
    expect(rig.sim.calls.byOp('usageReport.claudeCode')[0]?.query['starting_at']).toBe(failedOn);
    expect(await one(rig.db.db, sql`select count(*)::int as n from claude_code_daily`)).toEqual({ n: 2 });
  });
});
