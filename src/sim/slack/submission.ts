/**
 * `view.state.values` as Slack sends it with a view_submission (and a block_actions click in
 * a modal): every input block's element typed as Slack types it, with what the user entered
 * or the element's initial value (docs.slack.dev/reference/interaction-payloads).
 */
import { SlackClientRefusal } from './client-refusal.js';
import { cleanOption, optionByValue } from './element-options.js';
import type { Json, JsonObject, SimView } from './types.js';

type Obj = Record<string, unknown>;

export type SubmittedValue = string | string[] | null | undefined;
/** Either `{ [block_id]: { [action_id]: value } }` or `{ [action_id]: value }`. */
export type SubmittedValues = Record<string, SubmittedValue | Record<string, SubmittedValue>>;

function lookupValue(
  values: SubmittedValues,
  blockId: string,
  actionId: string,
): { given: boolean; value: SubmittedValue } {
  const byBlock = values[blockId];
  if (byBlock && typeof byBlock === 'object' && !Array.isArray(byBlock) && actionId in byBlock) {
    return { given: true, value: byBlock[actionId] };
  }
  const flat = values[actionId];
  if (actionId in values && (flat === null || flat === undefined || typeof flat === 'string' || Array.isArray(flat))) {
    return { given: true, value: flat };
  }
  return { given: false, value: undefined };
}

function richText(text: string): JsonObject {
  return { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] };
}

/** One element's entry in `view.state.values`, typed as Slack types it. */
function stateEntry(
  el: Obj,
  given: boolean,
  raw: SubmittedValue,
  force: boolean,
  problems: string[],
): { entry: JsonObject; empty: boolean } {
  const type = String(el.type);
  const many = (): string[] => (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []);
  const one = (): string | null => (Array.isArray(raw) ? (raw[0] ?? null) : (raw ?? null));
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input': {
      const value = given ? one() : ((el.initial_value as string | undefined) ?? null);
      if (value !== null && value !== '') {
        if (typeof el.max_length === 'number' && value.length > el.max_length)
          problems.push(`Must be at most ${el.max_length} characters`);
        if (typeof el.min_length === 'number' && value.length < el.min_length)
          problems.push(`Must be at least ${el.min_length} characters`);
        if (
          type === 'number_input' &&
          (Number.isNaN(Number(value)) || (el.is_decimal_allowed !== true && !/^-?\d+$/.test(value)))
        )
          problems.push('Must be a number');
        if (type === 'email_text_input' && !/^[^@\s]+@[^@\s]+$/.test(value)) problems.push('Must be an email address');
      }
      return { entry: { type, value: value === '' ? null : value }, empty: value === null || value === '' };
    }
    case 'static_select':
    case 'external_select':
    case 'radio_buttons': {
      let option: Obj | undefined;
      if (given) {
        const v = one();
        option = v === null ? undefined : optionByValue(el, v);
        if (v !== null && !option) {
          if (!force && type !== 'external_select') problems.push(`No option ${JSON.stringify(v)}`);
          option = { text: { type: 'plain_text', text: v }, value: v };
        }
      } else if (el.initial_option && typeof el.initial_option === 'object') {
        option = el.initial_option as Obj;
      }
      return { entry: { type, selected_option: option ? cleanOption(option) : null }, empty: !option };
    }
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes': {
      let options: Obj[];
      if (given) {
        options = many().map((v) => {
          const o = optionByValue(el, v);
          if (!o && !force && type !== 'multi_external_select') problems.push(`No option ${JSON.stringify(v)}`);
          return o ?? { text: { type: 'plain_text', text: v }, value: v };
        });
      } else {
        options = Array.isArray(el.initial_options) ? (el.initial_options as Obj[]) : [];
      }
      return { entry: { type, selected_options: options.map(cleanOption) }, empty: options.length === 0 };
    }
    case 'users_select':
      return single(type, 'selected_user', given ? one() : ((el.initial_user as string | undefined) ?? null));
    case 'conversations_select':
      return single(
        type,
        'selected_conversation',
        given ? one() : ((el.initial_conversation as string | undefined) ?? null),
      );
    case 'channels_select':
      return single(type, 'selected_channel', given ? one() : ((el.initial_channel as string | undefined) ?? null));
    case 'datepicker':
      return single(type, 'selected_date', given ? one() : ((el.initial_date as string | undefined) ?? null));
    case 'timepicker':
      return single(type, 'selected_time', given ? one() : ((el.initial_time as string | undefined) ?? null));
    case 'datetimepicker': {
      const initial = el.initial_date_time;
      const v = given ? one() : typeof initial === 'number' || typeof initial === 'string' ? String(initial) : null;
      return { entry: { type, selected_date_time: v === null ? null : Number(v) }, empty: v === null };
    }
    case 'multi_users_select':
      return multi(type, 'selected_users', given ? many() : ((el.initial_users as string[] | undefined) ?? []));
    case 'multi_conversations_select':
      return multi(
        type,
        'selected_conversations',
        given ? many() : ((el.initial_conversations as string[] | undefined) ?? []),
      );
    case 'multi_channels_select':
      return multi(type, 'selected_channels', given ? many() : ((el.initial_channels as string[] | undefined) ?? []));
    case 'rich_text_input': {
      const v = given ? one() : null;
      return {
        entry: {
          type,
          rich_text_value: v === null ? ((el.initial_value as Json | undefined) ?? richText('')) : richText(v),
        },
        empty: v === null || v === '',
      };
    }
    case 'file_input':
      return { entry: { type, files: [] }, empty: true };
    default:
      return { entry: { type, value: given ? one() : null }, empty: !given };
  }
}

function single(type: string, key: string, v: string | null): { entry: JsonObject; empty: boolean } {
  return { entry: { type, [key]: v }, empty: v === null || v === '' };
}

function multi(type: string, key: string, v: string[]): { entry: JsonObject; empty: boolean } {
  return { entry: { type, [key]: v }, empty: v.length === 0 };
}

/**
 * `view.state.values` for a submission: every input block of the view, with what the user
 * entered or the element's initial value. Required inputs left empty, and entries the
 * Slack client would not accept, refuse the submission as the client does.
 */
export function submissionState(
  view: SimView,
  values: SubmittedValues,
  force: boolean,
): Record<string, Record<string, JsonObject>> {
  const out: Record<string, Record<string, JsonObject>> = {};
  const fieldErrors: Record<string, string> = {};
  const known = new Set<string>();
  for (const b of view.blocks) {
    if (!b || typeof b !== 'object' || Array.isArray(b) || b.type !== 'input') continue;
    const block = b as Obj;
    const el = block.element as Obj | undefined;
    if (!el) continue;
    const blockId = block.block_id as string;
    const actionId = el.action_id as string;
    known.add(blockId);
    known.add(actionId);
    const { given, value } = lookupValue(values, blockId, actionId);
    const problems: string[] = [];
    const { entry, empty } = stateEntry(el, given, value, force, problems);
    if (empty && block.optional !== true) problems.push('Please complete this required field.');
    if (problems.length > 0) fieldErrors[blockId] = problems[0]!;
    out[blockId] = { [actionId]: entry };
  }
  for (const key of Object.keys(values)) {
    if (!known.has(key) && !force) fieldErrors[key] = `no input block or action "${key}" in view ${view.id}`;
  }
  if (Object.keys(fieldErrors).length > 0 && !force) {
    throw new SlackClientRefusal(`the Slack client would not submit view ${view.id}`, fieldErrors);
  }
  return out;
}
