import type { MrkdwnElement, PlainTextElement } from '@slack/types';

/** Slack's documented per-field limits; builders clip instead of letting Slack reject. */
export const LIMITS = {
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  contextElements: 10,
  messageBlocks: 50,
  viewBlocks: 100,
  fallbackText: 4000,
} as const;

export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export const mrkdwn = (text: string, max: number = LIMITS.sectionText): MrkdwnElement => ({
  type: 'mrkdwn',
  text: clip(text, max),
});
export const plain = (text: string, max: number = LIMITS.sectionText): PlainTextElement => ({
  type: 'plain_text',
  text: clip(text, max),
  emoji: true,
});

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
