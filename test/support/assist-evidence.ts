import type { Evidence } from '../../src/domain/evidence.js';

/** Evidence for Claude assist tests: a dormant key, and one with values that must never reach a prompt. */
export function dormantKeyEvidence(over: Partial<Evidence> = {}): Evidence {
  return {
    kind: 'dormant_key',
    rule: 'No usage for 45 days (policy: 30).',
    subject: { type: 'api_key', id: 'apikey_01ETL', label: 'nightly-etl' },
    access: {
      kind: 'api_key',
      workspaceId: 'wrkspc_01DATA',
      workspaceName: 'Data',
      scope: 'workspace',
      keyHint: 'sk-ant-api03-R2D...igAA',
      status: 'active',
    },
    createdAt: '2026-01-10T09:00:00.000Z',
    createdBy: { type: 'user', id: 'user_01IVAN', label: 'ivan.petrov@example.com' },
    owner: {
      userId: 'user_01IVAN',
      email: 'ivan.petrov@example.com',
      slackId: 'U0IVAN',
      via: 'creator',
      unownedReason: null,
    },
    lastActivity: { at: '2026-03-12T02:00:00.000Z', type: 'api_request' },
    idleDays: 45,
    counts: { d7: 0, d30: 0, d90: 12 },
    usage: { requests30: 0, tokens30: 0, requests90: 1200, tokens90: 340000 },
    weekly: [40, 38, 41, 12, 0, 0, 0, 0, 0, 0, 0, 0],
    thresholds: { dormant_days: 30 },
    asOf: '2026-04-26T08:30:00.000Z',
    ...over,
  };
}

/** Values that must never reach a prompt, planted where a careless projection would copy them. */
const PLANTED = {
  secretHint: 'sk-ant-api03-PLANTEDSECRET...ZZZZ',
  extra: 'EXTRA-PROPERTY-VALUE',
  freeText: 'please keep, Bob said it is fine',
  ruleText: 'RULE-SENTENCE-TEXT',
  previous: 'PREVIOUS-READING-TEXT',
  secretName: 'sk-ant-admin01-AAAAAAAAAAAAAAAAAAAAAAAAAAAA',
};

export function plantedEvidence(): Evidence {
  const e = dormantKeyEvidence({
    rule: PLANTED.ruleText,
    access: { ...dormantKeyEvidence().access, keyHint: PLANTED.secretHint },
    reading: { kind: 'summary', text: PLANTED.previous, source: 'claude', model: 'm', fallback: null, facts: 'x' },
    createdBy: { type: 'user', id: 'user_01IVAN', label: PLANTED.secretName },
  });
  return Object.assign(e, {
    notes: PLANTED.extra,
    keepReason: PLANTED.freeText,
    anomaly: { comment: PLANTED.freeText },
  }) as Evidence;
}

export const PLANTED_VALUES = Object.values(PLANTED);
