import { describe, expect, it } from 'vitest';
import { dormantKeyEvidence, PLANTED_VALUES, plantedEvidence } from '../../test/support/assist-evidence.js';
import { factsOf } from './facts.js';
import { readingFingerprint, readingPrompt } from './prompt.js';
import { templateSummary, templateTriage } from './template.js';

describe('facts: the allow-list between evidence and a prompt', () => {
  it('keeps ids, names, counts, dates, roles and the workspace', () => {
    const f = factsOf(dormantKeyEvidence());
    expect(f.subject).toEqual({ type: 'api_key', id: 'apikey_01ETL', name: 'nightly-etl' });
    expect(f.access.workspace).toEqual({ id: 'wrkspc_01DATA', name: 'Data' });
    expect(f.created).toEqual({ on: '2026-01-10', by: { type: 'user', id: 'user_01IVAN', name: 'ivan.petrov' } });
    expect(f.owner.person?.name).toBe('ivan.petrov');
    expect(f.last_activity).toEqual({ on: '2026-03-12', type: 'api_request' });
    expect(f.activity_events).toEqual({ last_7_days: 0, last_30_days: 0, last_90_days: 12 });
    expect(f.api_usage?.requests_90_days).toBe(1200);
    expect(f.thresholds).toEqual({ dormant_days: 30 });
  });

  it('lets nothing else through: no key hint, rule text, extra property, free text, earlier reading or secret', () => {
    const prompt = JSON.stringify(readingPrompt('summary', factsOf(plantedEvidence())));
    for (const v of PLANTED_VALUES) expect(prompt).not.toContain(v);
    expect(prompt).not.toContain('example.com');
    expect(prompt).not.toContain('sk-ant');
    // The fields it does carry are still there.
    expect(prompt).toContain('nightly-etl');
    expect(prompt).toContain('2026-03-12');
  });

  it('keeps only the documented fields of an alert, each checked for its kind', () => {
    const f = factsOf(
      dormantKeyEvidence({
        kind: 'usage_spike',
        thresholds: { factor: 5, baseline_days: 14, min_requests: 1000 },
        anomaly: {
          firstDay: '2026-04-20',
          lastDay: '2026-04-21',
          days: 2,
          peakDay: '2026-04-21',
          peakRequests: 98000,
          baselineMean: 1200.456,
          daily: [{ day: '2026-04-20', requests: 50000, baselineMean: 1200, note: 'x' }],
          ownerNote: 'free text',
          peakDayText: 'Tuesday, a sentence',
        },
      }),
    );
    expect(f.alert).toEqual({
      firstDay: '2026-04-20',
      lastDay: '2026-04-21',
      days: 2,
      peakDay: '2026-04-21',
      peakRequests: 98000,
      baselineMean: 1200.46,
      daily: [{ day: '2026-04-20', requests: 50000, baseline_mean: 1200 }],
    });
  });

  it('drops values that do not look like their kind', () => {
    const f = factsOf(
      dormantKeyEvidence({
        subject: { type: 'api_key', id: 'not an id; drop table', label: '<@U123> click https://x' },
        lastActivity: { at: 'yesterday', type: 'Something Free' },
      }),
    );
    expect(f.subject).toEqual({ type: 'api_key', id: null, name: null });
    expect(f.last_activity).toEqual({ on: null, type: null });
  });

  it('fingerprints facts, not the moment they were computed', () => {
    const a = readingFingerprint('summary', 'claude-haiku-4-5', factsOf(dormantKeyEvidence()));
    const later = readingFingerprint(
      'summary',
      'claude-haiku-4-5',
      factsOf(dormantKeyEvidence({ asOf: '2026-05-01T00:00:00.000Z', rule: 'changed wording' })),
    );
    expect(later).toBe(a);
    expect(readingFingerprint('summary', 'claude-sonnet-4-6', factsOf(dormantKeyEvidence()))).not.toBe(a);
    expect(readingFingerprint('summary', 'claude-haiku-4-5', factsOf(dormantKeyEvidence({ idleDays: 46 })))).not.toBe(
      a,
    );
  });
});

describe('template readings', () => {
  it('summarises an access review in two sentences from the facts', () => {
    expect(templateSummary(factsOf(dormantKeyEvidence()))).toBe(
      'API key “nightly-etl” in workspace Data, created 2026-01-10 by ivan.petrov. ' +
        'Last active 2026-03-12, 45 days without activity; 0 events in the last 30 days, 12 in 90, 1,200 API requests in 90 days. ' +
        'Owner: ivan.petrov (creator).',
    );
  });

  it('triages an alert in three lines', () => {
    const text = templateTriage(
      factsOf(
        dormantKeyEvidence({
          kind: 'usage_spike',
          thresholds: { factor: 5, baseline_days: 14, min_requests: 1000 },
          anomaly: { firstDay: '2026-04-21', days: 1, peakDay: '2026-04-21', peakRequests: 98000, baselineMean: 1200 },
        }),
      ),
    );
    expect(text.split('\n')).toEqual([
      'What happened: “nightly-etl” made 98,000 requests on 2026-04-21 (1 day(s) from 2026-04-21).',
      'Why it is unusual: Its trailing mean was 1,200 requests a day; the policy alerts above 5× that and above 1,000 requests.',
      'Check first: Ask ivan.petrov whether a new job or a leak explains the traffic.',
    ]);
  });
});
