import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonical } from '../audit/canonical.js';
import { isAnomaly } from '../domain/findings.js';
import type { Facts } from './facts.js';

/**
 * The summary and triage prompts, built only from allow-listed facts, and the answers
 * they must come back as. Pure: the same facts give the same prompt and fingerprint.
 * Answers use structured outputs (`output_config.format`, a JSON schema:
 * https://platform.claude.com/docs/en/build-with-claude/structured-outputs) and are
 * validated again here with zod, since refusals and truncation can still break them.
 */

/** Bump when the prompts change, so cached readings of the old prompt are not reused. */
export const PROMPT_VERSION = 1;

export type ReadingKind = 'summary' | 'triage';

export const readingKindOf = (finding: string): ReadingKind => (isAnomaly(finding) ? 'triage' : 'summary');

const RULES = [
  'You help people review access to a Claude organisation. You are given facts as JSON.',
  'Use only these facts; never guess names, reasons or dates that are not there.',
  'Write plain English for a busy, non-technical reader. Dates as given (YYYY-MM-DD).',
  'Do not recommend keeping or revoking: people decide. No links, no @-mentions, no markup.',
].join(' ');

const SYSTEM: Record<ReadingKind, string> = {
  summary: `${RULES} Summarise the evidence in exactly two short sentences: what the access is and who it belongs to, then how it has been used and since when it has been quiet.`,
  triage: `${RULES} This is a security alert. Say in one sentence each: what happened, why it is unusual compared with the baseline in the facts, and what to check first.`,
};

export const READING_SCHEMAS: Record<ReadingKind, Record<string, unknown>> = {
  summary: {
    type: 'object',
    properties: { summary: { type: 'string', description: 'Two plain sentences.' } },
    required: ['summary'],
    additionalProperties: false,
  },
  triage: {
    type: 'object',
    properties: {
      what_happened: { type: 'string' },
      why_unusual: { type: 'string' },
      check_first: { type: 'string' },
    },
    required: ['what_happened', 'why_unusual', 'check_first'],
    additionalProperties: false,
  },
};

export interface ReadingPrompt {
  system: string;
  user: string;
  schema: Record<string, unknown>;
}

export function readingPrompt(kind: ReadingKind, facts: Facts): ReadingPrompt {
  return { system: SYSTEM[kind], user: `Facts:\n${JSON.stringify(facts)}`, schema: READING_SCHEMAS[kind] };
}

/** The cache key: same prompt version, kind, model and facts → same reading. */
export function readingFingerprint(kind: ReadingKind, model: string, facts: Facts): string {
  const digest = createHash('sha256')
    .update(canonical({ v: PROMPT_VERSION, kind, model, facts }))
    .digest('hex');
  return `rf${PROMPT_VERSION}_${digest.slice(0, 40)}`;
}

/** Text a reviewer may be shown: no links, mentions or markup, a few sentences at most. */
const sentence = (max: number) =>
  z
    .string()
    .trim()
    .min(10, 'too short')
    .max(max, 'too long')
    .refine((s) => !/https?:\/\/|www\.|[<>]|@(channel|here|everyone)\b/i.test(s), 'contains a link, mention or markup')
    .refine((s) => (s.match(/[.!?](\s|$)/g) ?? []).length <= 3, 'more than three sentences');

const ANSWERS = {
  summary: z.strictObject({ summary: sentence(400) }),
  triage: z.strictObject({ what_happened: sentence(300), why_unusual: sentence(300), check_first: sentence(300) }),
};

/** The text shown for a model's answer, or the reason it cannot be shown. */
export function readingText(kind: ReadingKind, raw: string): { ok: true; text: string } | { ok: false; why: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, why: 'not JSON' };
  }
  if (kind === 'summary') {
    const r = ANSWERS.summary.safeParse(json);
    return r.success ? { ok: true, text: r.data.summary } : { ok: false, why: issues(r.error) };
  }
  const r = ANSWERS.triage.safeParse(json);
  if (!r.success) return { ok: false, why: issues(r.error) };
  return {
    ok: true,
    text: `What happened: ${r.data.what_happened}\nWhy it is unusual: ${r.data.why_unusual}\nCheck first: ${r.data.check_first}`,
  };
}

function issues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`).join('; ');
}
