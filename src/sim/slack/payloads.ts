/**
 * Builders for what Slack sends an app: the pieces of interaction payloads that depend
 * on stored state (who clicked, which element, what a modal's inputs hold).
 * Shapes follow Slack's reference payloads (docs.slack.dev/reference/interaction-payloads)
 * and Bolt's own types for them (@slack/bolt dist/types/actions, view).
 */
import { interactiveElements } from './blocks.js';
import { cleanOption, optionByValue } from './element-options.js';
import type { WorkspaceState } from './state.js';
import type { Json, JsonObject } from './types.js';

export { SlackClientRefusal } from './client-refusal.js';
export { submissionState, type SubmittedValue, type SubmittedValues } from './submission.js';

type Obj = Record<string, unknown>;

export function userRef(state: WorkspaceState, userId: string): JsonObject {
  const u = state.user(userId);
  return {
    id: userId,
    username: u?.name ?? userId.toLowerCase(),
    name: u?.name ?? userId.toLowerCase(),
    team_id: state.team.id,
  };
}

export function teamRef(state: WorkspaceState): JsonObject {
  return { id: state.team.id, domain: state.team.domain };
}

export interface FoundElement {
  block: Obj;
  element: Obj;
}

export function findElement(blocks: unknown, actionId: string, blockId?: string): FoundElement | undefined {
  for (const { block, element } of interactiveElements(blocks)) {
    if (element.action_id !== actionId) continue;
    if (blockId !== undefined && block.block_id !== blockId) continue;
    return { block, element };
  }
  return undefined;
}

/**
 * The `actions[0]` entry of a block_actions payload for one element. `value` selects an
 * option (selects, overflow, radio), a user (users_select) or, for buttons, must equal
 * the button's own value.
 */
export function actionFor(found: FoundElement, opts: { value?: string; actionTs: string; force: boolean }): JsonObject {
  const { block, element } = found;
  const type = String(element.type);
  const base: JsonObject = {
    action_id: element.action_id as string,
    block_id: block.block_id as string,
    type,
    action_ts: opts.actionTs,
  };
  switch (type) {
    case 'button': {
      if (opts.value !== undefined && opts.value !== element.value && !opts.force) {
        throw new Error(
          `button ${String(element.action_id)} carries value ${JSON.stringify(element.value)}, not ${JSON.stringify(opts.value)}`,
        );
      }
      const out: JsonObject = { ...base, text: element.text as Json };
      const value = opts.value ?? (element.value as string | undefined);
      if (value !== undefined) out.value = value;
      if (element.style !== undefined) out.style = element.style as Json;
      return out;
    }
    case 'static_select':
    case 'external_select':
    case 'overflow':
    case 'radio_buttons': {
      const option = opts.value === undefined ? undefined : optionByValue(element, opts.value);
      if (!option && !opts.force)
        throw new Error(`${type} ${String(element.action_id)} has no option ${JSON.stringify(opts.value)}`);
      return {
        ...base,
        selected_option: option
          ? cleanOption(option)
          : { text: { type: 'plain_text', text: opts.value ?? '' }, value: opts.value ?? '' },
      };
    }
    case 'users_select':
      return { ...base, selected_user: opts.value ?? null };
    case 'conversations_select':
      return { ...base, selected_conversation: opts.value ?? null };
    case 'channels_select':
      return { ...base, selected_channel: opts.value ?? null };
    case 'datepicker':
      return { ...base, selected_date: opts.value ?? null };
    default:
      return opts.value === undefined ? base : { ...base, value: opts.value };
  }
}
