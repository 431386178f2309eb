import type { SlackSim } from '../../src/sim/slack/index.js';

type Element = { type: string; action_id?: string; value?: string; text?: string | { text: string } };
type Block = {
  type: string;
  block_id?: string;
  elements?: Element[];
  text?: { text: string };
  fields?: Array<{ text: string }>;
};
const textOf = (t: Element['text']): string => (typeof t === 'string' ? t : (t?.text ?? ''));

/** Everything a person would read in a message's blocks, as one string. */
export function blockText(blocks: unknown): string {
  const out: string[] = [];
  for (const b of (blocks as Block[] | undefined) ?? []) {
    if (b.text?.text) out.push(b.text.text);
    for (const f of b.fields ?? []) out.push(f.text);
    for (const e of b.elements ?? []) if (textOf(e.text)) out.push(textOf(e.text));
  }
  return out.join('\n');
}

export function buttonsOf(blocks: unknown): Array<{ actionId: string; value: string; label: string }> {
  const out: Array<{ actionId: string; value: string; label: string }> = [];
  for (const b of (blocks as Block[] | undefined) ?? []) {
    if (b.type !== 'actions') continue;
    for (const e of b.elements ?? [])
      if (e.type === 'button') out.push({ actionId: e.action_id ?? '', value: e.value ?? '', label: textOf(e.text) });
  }
  return out;
}

/** The bot's messages in a user's DM with the bot. */
export function dmMessages(slack: SlackSim, userId: string) {
  const dm = slack.state.dmWith(userId);
  return dm ? slack.state.history(dm.id).filter((m) => m.bot_id || m.app_id) : [];
}

export function channelMessages(slack: SlackSim, channelId: string) {
  return slack.state.history(channelId);
}
