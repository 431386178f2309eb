import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gte } from 'drizzle-orm';
import { rowHash } from '../../src/audit/hash.js';
import { createAuditWitness, WITNESS_EVENT_TYPE, type PostedHead } from '../../src/audit/witness.js';
import { postedAt } from '../../src/audit/witness-check.js';
import { runCli } from '../../src/cli/run.js';
import { auditLog } from '../../src/db/schema/index.js';
import type { Database } from '../../src/db/client.js';
import { startSlackSim, type SlackSim } from '../../src/sim/slack/index.js';
import type { SimMessage } from '../../src/sim/slack/types.js';
import { slackWitnessBoard } from '../../src/slack/witness-board.js';
import { simClient } from '../helpers/slack-client.js';
import {
  appendRows,
  createCliDatabase,
  memoryIo,
  readChain,
  resetAuditLog,
  tamper,
  type CliDatabase,
} from './fixtures.js';
import { auditKeyEnv, K1, signWith } from './keys.js';

/**
 * The witness outside the database: heads posted to the security channel through the real
 * WebClient against the Slack simulator, read back by `steward audit verify --witness`.
 * What a superuser can do to the database unseen by the chain (remove the newest rows,
 * rebuild the chain, strip the MACs) the witness catches, with the time of the post.
 */
describe('audit witness: heads in the security channel, read back by verify --witness', { timeout: 120_000 }, () => {
  let sim: SlackSim;
  let d: CliDatabase;
  let channel: string;
  let n = 0;
  const env = (over: Record<string, string> = {}) => ({
    ...d.env,
    SLACK_BOT_TOKEN: sim.botToken,
    SLACK_SIGNING_SECRET: sim.signingSecret,
    SLACK_API_URL: sim.apiUrl,
    STEWARD_SECURITY_CHANNEL: channel,
    STEWARD_AUDIT_KEY: auditKeyEnv(K1),
    ...over,
  });
  const verify = async (args: string[] = ['--witness'], over: Record<string, string> = {}) => {
    const m = memoryIo();
    const code = await runCli(['audit', 'verify', ...args], env(over), m.io);
    signWith(K1); // runCli installed the keyring of its environment; keep appending with K1
    return { code, out: m.out, err: m.err };
  };
  const witness = (db: Database): Promise<PostedHead | null> =>
    createAuditWitness({ db: db.db, board: slackWitnessBoard({ client: simClient(sim), channel }) }).postHead();
  const messages = (): SimMessage[] => sim.state.history(channel);

  beforeAll(async () => {
    sim = await startSlackSim();
    d = await createCliDatabase();
    await d.use(async () => {});
  }, 120_000);
  beforeEach(async () => {
    channel = sim.addChannel({ name: `security-${++n}` }).id;
    await d.use((db) => resetAuditLog(db.db));
    signWith(K1);
  });
  afterEach(() => signWith());
  afterAll(async () => {
    await sim?.close();
    await d?.destroy();
  });

  it("posts the head as Steward's bot, with metadata and a readable text; verify --witness holds", async () => {
    const posted = await d.use(async (db) => {
      await appendRows(db.db, 5);
      const first = await witness(db);
      await appendRows(db.db, 3, new Date('2025-04-01T00:00:00Z'));
      return [first, await witness(db)];
    });
    const chain = await d.use((db) => readChain(db.db));
    expect(posted.map((p) => p?.seq)).toEqual([5, 8]);
    const [m5, m8] = messages();
    expect(m8).toMatchObject({
      bot_id: sim.state.botId,
      user: sim.state.botUserId,
      metadata: { event_type: WITNESS_EVENT_TYPE, event_payload: { seq: 8, hash: chain[7]!.hash, key_id: 'k1' } },
    });
    expect(m5?.metadata).toEqual({
      event_type: WITNESS_EVENT_TYPE,
      event_payload: { seq: 5, hash: chain[4]!.hash, key_id: 'k1' },
    });
    expect(m8?.text).toContain(`Audit log head: row 8, SHA-256 ${chain[7]!.hash} (MAC key "k1")`);

    const r = await verify();
    expect(r).toMatchObject({ code: 0, err: [] });
    expect(r.out).toContain(
      `Witness: 2 audit heads posted by Steward in channel ${channel}, the newest row 8 (${postedAt(m8!.ts)}); the chain's head is row 8.`,
    );
    expect(r.out.at(-1)).toBe('Witness holds: every witnessed row is still in the chain, unchanged.');
    // Read back through the Slack API with every metadata field, as documented.
    expect(sim.calls.last('conversations.history')?.args).toMatchObject({ channel, include_all_metadata: 'true' });
  });

  it('the newest rows deleted: the chain alone passes, the witness catches it with the time of the post', async () => {
    await d.use(async (db) => {
      await appendRows(db.db, 6);
      await witness(db);
      await appendRows(db.db, 2, new Date('2025-04-01T00:00:00Z'));
      await witness(db);
      await tamper(db.db, () => db.db.delete(auditLog).where(gte(auditLog.seq, 7)));
    });
    const latest = messages().at(-1)!;
    // Without the witness nothing is wrong: what remains is a valid, keyed chain of 6 rows.
    expect((await verify([])).code).toBe(0);
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      `Witness violation at seq 8 (truncated): Row 8 was witnessed but the chain now ends at 6: the newest rows were removed. (witness posted ${postedAt(latest.ts)})`,
    ]);
  });

  it('the whole chain rewritten consistently, every SHA-256 recomputed: the MAC and the witness both catch it', async () => {
    await d.use(async (db) => {
      await appendRows(db.db, 6);
      await witness(db);
      await rebuildChain(db, { stripMacs: false });
    });
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/^Audit chain broken at seq 2 \(forged\): Row 2 fails its MAC check under key "k1"/);
    expect(r.err.at(-1)).toMatch(
      /^Witness violation at seq 6 \(rewritten\): Row 6 was witnessed with hash [0-9a-f]{12}… but now has [0-9a-f]{12}…: the chain up to it was rewritten\. \(witness posted /,
    );
  });

  it('the whole chain rewritten with the MACs stripped: the chain reads as older than the key, the witness catches it', async () => {
    await d.use(async (db) => {
      await appendRows(db.db, 6);
      await witness(db);
      await rebuildChain(db, { stripMacs: true });
    });
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'Chained but not keyed: no row carries a MAC yet (all 6 were written before STEWARD_AUDIT_KEY was set); rows appended from now on are signed.',
    );
    expect(r.err).toEqual([expect.stringMatching(/^Witness violation at seq 6 \(rewritten\)/)]);
  });

  it('every MAC stripped, content untouched: the witness sees the key is gone', async () => {
    await d.use(async (db) => {
      await appendRows(db.db, 4);
      await witness(db);
      await tamper(db.db, () => db.db.update(auditLog).set({ mac: null, macKeyId: null }));
    });
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      expect.stringMatching(
        /^Witness violation at seq 4 \(rekeyed\): Row 4 was witnessed signed with key "k1" but now has no MAC: its MAC was stripped or replaced\./,
      ),
    ]);
  });

  it('witness messages posted by anyone else are ignored: a person, another app', async () => {
    await d.use(async (db) => {
      await appendRows(db.db, 3);
      await witness(db);
    });
    // Claims that, if believed, would say rows 4..99 were removed. The simulator seeds a
    // person's message; the metadata is set on the stored message, as another app's post
    // (or a user token's) would carry it.
    const claim = { event_type: WITNESS_EVENT_TYPE, event_payload: { seq: 99, hash: 'e'.repeat(64), key_id: 'k1' } };
    const person = sim.addUser({ name: 'mallory' });
    sim.state.postAsUser(channel, person.id, 'Audit log head: row 99').metadata = claim;
    const otherApp = sim.state.postAsUser(channel, person.id, 'Audit log head: row 98');
    Object.assign(otherApp, { bot_id: 'B0OTHERAPP', user: 'U0OTHERBOT', metadata: claim });
    // Steward's own bot user id with another app's bot id is not Steward either.
    const spoof = sim.state.postAsUser(channel, sim.state.botUserId, 'Audit log head: row 97');
    Object.assign(spoof, { bot_id: 'B0OTHERAPP', metadata: claim });

    const r = await verify();
    expect(r).toMatchObject({ code: 0, err: [] });
    expect(r.out.find((l) => l.startsWith('Witness: '))).toMatch(
      /^Witness: 1 audit head posted by Steward in channel C\w+, the newest row 3 \(.+\); the chain's head is row 3\. 3 messages of the same kind not posted by Steward's bot ignored\.$/,
    );
  });

  it('a witness message edited after posting (by whoever holds the bot token): edited', async () => {
    const posted = await d.use(async (db) => {
      await appendRows(db.db, 3);
      return witness(db);
    });
    await simClient(sim).chat.update({
      channel,
      ts: posted!.ts,
      text: 'Audit log head: row 2',
      metadata: { event_type: WITNESS_EVENT_TYPE, event_payload: { seq: 2, hash: posted!.hash } },
    });
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(
      /^Witness violation at seq 2 \(edited\): The witness of row 2 was edited after it was posted/,
    );
  });

  it('reads every page of a long channel history', async () => {
    await d.use(async (db) => {
      await appendRows(db.db, 2);
      await witness(db);
    });
    const person = sim.addUser({ name: 'chatty' });
    for (let i = 0; i < 450; i++) sim.state.postAsUser(channel, person.id, `message ${i}`);
    await d.use(async (db) => {
      await appendRows(db.db, 1, new Date('2025-04-01T00:00:00Z'));
      await witness(db);
      await tamper(db.db, () => db.db.delete(auditLog).where(gte(auditLog.seq, 3)));
    });
    const before = sim.calls.count('conversations.history');
    const r = await verify();
    expect(sim.calls.count('conversations.history') - before).toBe(3);
    // The first witness is on the last page: it still holds; the second caught the deletion.
    expect(r.out.find((l) => l.startsWith('Witness: '))).toMatch(/^Witness: 2 audit heads/);
    expect(r.err).toEqual([expect.stringMatching(/^Witness violation at seq 3 \(truncated\)/)]);
  });

  it('no witness posted yet: says there is nothing to check', async () => {
    await d.use((db) => appendRows(db.db, 2));
    const r = await verify();
    expect(r).toMatchObject({ code: 0, err: [] });
    expect(r.out.at(-1)).toMatch(/^Witness: no audit head posted by Steward in channel C\w+ yet, so nothing to check/);
  });

  it('a channel the bot is not in: a clear error, exit 1', async () => {
    channel = sim.addChannel({ name: `outside-${n}`, botMember: false }).id;
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(
      /reading the audit witnesses from the security channel: Slack says not_in_channel \(is the bot invited to the channel\?\)/,
    );
  });

  it('never vouches for a forged head: no witness, an alert in the channel instead', async () => {
    await d.use(async (db) => {
      await appendRows(db.db, 3);
      const [last] = (await readChain(db.db)).slice(-1);
      const f = { ...last!, seq: 4, prevHash: last!.hash, outcome: 'keep', mac: null, macKeyId: null };
      await db.db.insert(auditLog).values({ ...f, hash: rowHash(f) });
      await expect(witness(db)).rejects.toMatchObject({
        code: 'audit_head_invalid',
        message: expect.stringMatching(
          /^The newest audit row 4 fails its own check \(it has no MAC but the row before has one\)/,
        ),
      });
    });
    expect(messages()).toHaveLength(1);
    expect(messages()[0]).toMatchObject({ text: expect.stringMatching(/^:warning: The newest audit row 4 fails/) });
    expect(messages()[0]?.metadata).toBeUndefined();
  });
});

/** Deletes every row and writes the chain back with row 2 changed and every SHA-256 recomputed. */
async function rebuildChain(db: Database, opts: { stripMacs: boolean }): Promise<void> {
  const rows = await readChain(db.db);
  let prev = '0'.repeat(64);
  const rebuilt = rows.map((r) => {
    const changed = { ...r, prevHash: prev, ...(r.seq === 2 ? { outcome: 'revoke' } : {}) };
    const hash = rowHash(changed);
    prev = hash;
    return { ...changed, hash, ...(opts.stripMacs ? { mac: null, macKeyId: null } : {}) };
  });
  await tamper(db.db, async () => {
    await db.db.delete(auditLog);
    await db.db.insert(auditLog).values(rebuilt);
  });
}
