import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ConfigError, loadConfig } from '../../src/config/env.js';
import { startRig, rows, type SyncRig } from '../sync/helpers.js';

const PASSWORD = 'hunter2pass';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env, []);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('secrets inside URLs', () => {
  it('refuses credentials in ANTHROPIC_BASE_URL and SLACK_API_URL at start, naming the variable, not the secret', () => {
    for (const variable of ['ANTHROPIC_BASE_URL', 'SLACK_API_URL']) {
      const userinfo = problemsOf({ [variable]: `https://steward:${PASSWORD}@proxy.example.com/` });
      expect(userinfo).toContain(`${variable}: must not carry credentials`);
      expect(userinfo).not.toContain(PASSWORD);
      const query = problemsOf({ [variable]: `https://proxy.example.com/?api_key=${PASSWORD}` });
      expect(query).toContain(`${variable}: must not carry credentials`);
      expect(query).not.toContain(PASSWORD);
    }
    // A plain proxy URL, and a database password (PostgreSQL needs it there), are fine.
    expect(loadConfig({ ANTHROPIC_BASE_URL: 'https://proxy.example.com/anthropic' }, []).anthropic.baseUrl).toBe(
      'https://proxy.example.com/anthropic',
    );
    expect(loadConfig({ DATABASE_URL: `postgres://steward:${PASSWORD}@db/steward` }, []).database.url).toContain(
      PASSWORD,
    );
  });

  describe('when one gets past the configuration anyway', () => {
    let rig: SyncRig;
    beforeAll(async () => {
      rig = await startRig();
    });
    afterAll(async () => rig?.close());

    it('job_runs.error, the sync.failed audit row and the log show the URL without its credentials', async () => {
      const baseUrl = rig.sim.url.replace('http://', `http://steward:${PASSWORD}@`);
      const report = await rig.service({ admin: { baseUrl, maxRetries: 0 } }).run({ sources: ['directory'] });
      expect(report.ok).toBe(false);
      expect(report.sources[0]!.error?.message).toContain('[REDACTED]@');
      const [run] = await rows<{ error: string }>(
        rig.db.db,
        sql`select error from job_runs where job = 'sync.directory'`,
      );
      expect(run!.error).toContain('[REDACTED]@');
      const [audit] = await rows<{ details: unknown }>(
        rig.db.db,
        sql`select details from audit_log where action = 'sync.failed'`,
      );
      expect(JSON.stringify(audit!.details)).toContain('[REDACTED]@');
      for (const text of [JSON.stringify(report), run!.error, JSON.stringify(audit!.details), rig.logLines.join('')])
        expect(text).not.toContain(PASSWORD);
    });
  });
});
