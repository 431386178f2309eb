import type Anthropic from '@anthropic-ai/sdk';
import type { Policy } from '../config/policy.js';
import type { Db } from '../db/types.js';
import type { Clock } from '../domain/clock.js';
import type { Evidence, EvidenceReading } from '../domain/evidence.js';
import type { Logger } from '../log.js';
import { callClaude, textOf, withDeadline } from './call.js';
import { factsOf, type Facts } from './facts.js';
import { readingFingerprint, readingKindOf, readingPrompt, readingText, type ReadingKind } from './prompt.js';
import { cachedReading, keepReading, takeCall } from './store.js';
import { templateSummary, templateTriage } from './template.js';

export interface ExplainDeps {
  client: Anthropic;
  db: Db;
  logger: Logger;
  settings: Policy['assist'];
  now: Clock;
}

/** Room for two sentences, or three short lines, of JSON. */
const MAX_TOKENS = 400;

export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);

/** Steward's own reading of the evidence (assist off, or standing in for Claude). */
export function templateReading(e: Evidence, fallback: string | null, model = 'template'): EvidenceReading {
  const facts = factsOf(e);
  const kind = readingKindOf(e.kind);
  return template(kind, facts, readingFingerprint(kind, model, facts), fallback);
}

function template(kind: ReadingKind, facts: Facts, fingerprint: string, fallback: string | null): EvidenceReading {
  const text = kind === 'summary' ? templateSummary(facts) : templateTriage(facts);
  return { kind, text, source: 'template', model: null, fallback, facts: fingerprint };
}

/**
 * A reading by Claude, bounded by `timeout_ms` from the moment it is asked for: cached by
 * fingerprint (no call), else one call within the day's budget, else the template.
 */
export function claudeExplainer(deps: ExplainDeps): (e: Evidence) => Promise<EvidenceReading> {
  const { model, timeout_ms: timeoutMs, daily_calls: dailyCalls } = deps.settings;
  return async (e) => {
    const facts = factsOf(e);
    const kind = readingKindOf(e.kind);
    const fingerprint = readingFingerprint(kind, model, facts);
    const log = deps.logger.child({ component: 'assist', reading: kind, facts: fingerprint });
    const fallback = (why: string, detail?: string): EvidenceReading => {
      log.info({ fallback: why, detail }, 'assist: the template text stands in');
      return template(kind, facts, fingerprint, why);
    };
    const byClaude = (text: string, m: string): EvidenceReading => ({
      kind,
      text,
      source: 'claude',
      model: m,
      fallback: null,
      facts: fingerprint,
    });
    return withDeadline(
      timeoutMs,
      async (signal) => {
        const cached = await cachedReading(deps.db, fingerprint);
        if (cached) return byClaude(cached.text, cached.model);
        // Past the bound already (a slow database): the template is out; spend nothing.
        if (signal.aborted) return fallback('timeout');
        if (!(await takeCall(deps.db, utcDay(deps.now()), dailyCalls, deps.now()))) return fallback('budget');
        const prompt = readingPrompt(kind, facts);
        const result = await callClaude(
          deps.client,
          {
            model,
            max_tokens: MAX_TOKENS,
            system: prompt.system,
            messages: [{ role: 'user', content: prompt.user }],
            output_config: { format: { type: 'json_schema', schema: prompt.schema } },
          },
          signal,
        );
        if (!result.ok) return fallback(result.reason, result.detail);
        const shown = readingText(kind, textOf(result.message));
        if (!shown.ok) return fallback('invalid_output', shown.why);
        const kept = await keepReading(
          deps.db,
          fingerprint,
          { kind, model: result.message.model, text: shown.text },
          deps.now(),
        );
        return byClaude(kept.text, kept.model);
      },
      () => fallback('timeout'),
      (err) => fallback('failed', err instanceof Error ? err.message : String(err)),
    );
  };
}
