import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { dormantKeyEvidence } from '../../test/support/assist-evidence.js';
import type { EvidenceReading } from '../domain/evidence.js';
import { withReading } from './reading.js';
import type { ReviewSnapshot } from './snapshot.js';

const logger = pino({ level: 'silent' });
const reading: EvidenceReading = {
  kind: 'summary',
  text: 'Idle since March.',
  source: 'template',
  model: null,
  fallback: null,
  facts: 'rf1_a',
};

function snapshot(): ReviewSnapshot {
  const evidence = { ...dormantKeyEvidence(), reading: { ...reading, text: 'an earlier reading' } };
  return { item: { id: 'r1', evidenceShown: evidence }, evidence } as unknown as ReviewSnapshot;
}

describe('withReading', () => {
  it('replaces any earlier reading with a fresh one, in the evidence and in the row to store', async () => {
    let seen: unknown;
    const s = await withReading(
      {
        logger,
        explainer: {
          explain: async (e) => {
            seen = e;
            return reading;
          },
        },
      },
      snapshot(),
    );
    expect(seen).not.toHaveProperty('reading');
    expect(s.evidence.reading).toEqual(reading);
    expect((s.item.evidenceShown as { reading: unknown }).reading).toEqual(reading);
  });

  it('delivers without a reading when the explainer fails', async () => {
    const s = await withReading(
      {
        logger,
        explainer: {
          explain: () => Promise.reject(new Error('boom')),
        },
      },
      snapshot(),
    );
    expect(s.evidence.reading).toBeNull();
    expect(s.evidence.subject.id).toBe('apikey_01ETL');
  });
});
