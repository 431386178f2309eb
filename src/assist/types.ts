import type { EvidenceReading } from '../domain/evidence.js';
import type { Evidence } from '../domain/evidence.js';

/**
 * Claude assist as the rest of Steward sees it. The composition root picks the Claude
 * implementation or the template one (assist off); nobody else knows which it got.
 * Neither ever decides or acts: readings are words above buttons people click.
 */
export interface Assist {
  /**
   * The reading shown above a review's buttons: a summary, or a triage for an alert.
   * Never throws and never takes longer than the policy's `timeout_ms`; when Claude
   * cannot answer in time, well-formed and within budget, the template text stands in.
   */
  explain(evidence: Evidence): Promise<EvidenceReading>;
  /** `/steward ask`: an answer from read-only tools, citing the rows it used. */
  ask(question: AskQuestion): Promise<AskAnswer>;
}

export interface AskQuestion {
  text: string;
  /** The admin asking (already checked against the configured admins). */
  askedBySlackId: string;
}

/** A row an answer rests on, as returned by one of the tools. */
export interface Citation {
  kind: 'finding' | 'api_key' | 'user' | 'service_account' | 'audit' | 'campaign';
  id: string;
}

export interface AskAnswer {
  /** `answered`, or why there is no answer: off, budget, timeout, rate_limited, unavailable, refused, invalid_output, failed. */
  outcome: string;
  text: string;
  citations: Citation[];
  model: string | null;
  toolCalls: number;
}
