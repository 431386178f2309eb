import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedKey, seedPerson } from '../helpers/review-fixtures.js';

describe('/metrics and /readyz', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    const bob = await seedPerson(h, 'bob');
    const keyId = await seedKey(h, 'metered', bob);
    await seedFinding(h, evidence('dormant_key', { type: 'api_key', id: keyId, label: 'metered' }, bob));
    // Steward paces its calls within Slack's limits; one 429 is forced to see it counted.
    h.slack.faults.add('chat.postMessage', { kind: 'rate_limit', times: 1, retryAfter: 1 });
    await h.steward.runJob('correlate');
    h.slack.rateLimits.clear();
    await h.steward.runJob('reminders');
  });
  afterAll(async () => h?.stop());

  it('exposes the listed series in Prometheus text format', async () => {
    const res = await fetch(`${h.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const body = await res.text();
    for (const series of [
      'steward_job_runs_total{job="correlate",outcome="succeeded"} 1',
      'steward_job_runs_total{job="reminders",outcome="succeeded"} 1',
      'steward_job_duration_seconds_count{job="correlate"} 1',
      'steward_findings{',
      'steward_open_reviews{age="0-1"}',
      'steward_review_decisions',
      'steward_outbox_actions{status="failed"} 0',
      'steward_api_calls_total{api="slack",method="chat.postMessage",status="2xx"}',
      'steward_api_rate_limited_total{api="slack",method="chat.postMessage"}',
      'steward_ingest_lag_seconds',
      'steward_process_',
    ]) {
      expect(body, series).toContain(series);
    }
  });

  it('counts Anthropic calls by method with ids folded, and their errors', async () => {
    const keyId = [...h.anthropic.state.apiKeys.keys()][0]!;
    await h.steward.services.admin.setApiKeyStatus(keyId, 'active', { idempotencyKey: 'metrics-test' });
    h.anthropic.faults.add({ op: 'apiKeys.update', kind: 'server_error', shouldRetry: false });
    await expect(
      h.steward.services.admin.setApiKeyStatus(keyId, 'active', { idempotencyKey: 'metrics-test-2' }),
    ).rejects.toThrow(/HTTP 500/);
    const body = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(body).toContain(
      'steward_api_calls_total{api="anthropic",method="/v1/organizations/api_keys/{id}",status="2xx"} 1',
    );
    expect(body).toContain(
      'steward_api_calls_total{api="anthropic",method="/v1/organizations/api_keys/{id}",status="5xx"} 1',
    );
    expect(body).toContain('steward_api_errors_total{api="anthropic",method="/v1/organizations/api_keys/{id}"} 1');
    expect(body).not.toContain(keyId);
  });

  it('is ready when the database, the migrations and Slack auth are fine', async () => {
    const res = await fetch(`${h.baseUrl}/readyz`);
    expect(res.status).toBe(200);
    const ok = (await res.json()) as { checks: Record<string, { ok: boolean }> };
    expect(Object.fromEntries(Object.entries(ok.checks).map(([k, v]) => [k, v.ok]))).toEqual({
      database: true,
      migrations: true,
      slack: true,
    });
  });
});
