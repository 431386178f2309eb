/**
 * Block Kit validation with Slack's documented limits, so a payload Slack would refuse is
 * refused here too. Issues are reported the way Slack reports them: a sentence and the
 * JSON pointer of the offending value ("must be less than 3001 characters
 * [json-pointer:/blocks/0/text/text]").
 *
 * Sources (Slack reference pages): blocks — docs.slack.dev/reference/block-kit/blocks
 * (50 blocks per message, 100 per modal/home tab; actions ≤ 25 elements; context ≤ 10;
 * header ≤ 150; section text ≤ 3000, fields ≤ 10 × 2000; block_id ≤ 255); button element
 * (text ≤ 75, action_id ≤ 255, value ≤ 2000, url ≤ 3000, style primary|danger);
 * composition objects (confirm: title ≤ 100, text ≤ 300, confirm/deny ≤ 30; option text
 * ≤ 75, value ≤ 150); docs.slack.dev/reference/views/modal-views (title/submit/close ≤ 24,
 * private_metadata ≤ 3000, callback_id ≤ 255, submit required with input blocks).
 */

export type Surface = 'message' | 'modal' | 'home';

export interface BlockIssue {
  pointer: string;
  message: string;
}

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  blockId: 255,
  actionId: 255,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  accessibilityLabel: 75,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  placeholder: 150,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  optionUrl: 3000,
  selectOptions: 100,
  optionGroups: 100,
  optionGroupLabel: 75,
  overflowOptionsMin: 1,
  overflowOptionsMax: 5,
  radioOptions: 10,
  checkboxOptions: 10,
  inputLabel: 2000,
  inputHint: 2000,
  plainTextInputLength: 3000,
  imageUrl: 3000,
  imageAltText: 2000,
  imageTitle: 2000,
  markdownBlockText: 12000,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
  /** views.* refuse view objects over 250 kB with view_too_large. */
  viewBytes: 250_000,
  /** chat.postMessage refuses longer `text` with msg_too_long. */
  messageText: 40_000,
} as const;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Slack counts characters, not UTF-16 code units. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const ACTION_ELEMENTS = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'overflow',
  'radio_buttons',
  'timepicker',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'workflow_button',
  'rich_text_input',
]);
const INPUT_ELEMENTS = new Set([
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'email_text_input',
  'file_input',
  'number_input',
  'plain_text_input',
  'radio_buttons',
  'rich_text_input',
  'timepicker',
  'url_text_input',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
]);
const ACCESSORY_ELEMENTS = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'image',
  'overflow',
  'radio_buttons',
  'timepicker',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'workflow_button',
]);
const BLOCK_TYPES = new Set([
  'section',
  'header',
  'divider',
  'context',
  'actions',
  'input',
  'image',
  'rich_text',
  'file',
  'video',
  'markdown',
  'context_actions',
  'table',
]);

/** Elements that carry an action_id (and so count for its uniqueness). */
export function isInteractive(type: string): boolean {
  return ACTION_ELEMENTS.has(type) || INPUT_ELEMENTS.has(type);
}

class Validator {
  readonly issues: BlockIssue[] = [];

  add(pointer: string, message: string): void {
    this.issues.push({ pointer, message });
  }

  maxLen(value: unknown, max: number, pointer: string): void {
    if (typeof value === 'string' && charLength(value) > max) {
      this.add(pointer, `must be less than ${max + 1} characters`);
    }
  }

  optString(obj: Obj, key: string, max: number, pointer: string): void {
    const v = obj[key];
    if (v === undefined) return;
    if (typeof v !== 'string') {
      this.add(`${pointer}/${key}`, 'must be a string');
      return;
    }
    this.maxLen(v, max, `${pointer}/${key}`);
  }

  /** A text composition object. `plain` restricts it to plain_text. */
  text(v: unknown, pointer: string, opts: { max: number; plain?: boolean; required?: boolean }): void {
    if (v === undefined) {
      if (opts.required !== false) this.add(pointer, 'missing required field: text object');
      return;
    }
    if (!isObj(v)) {
      this.add(pointer, 'must be a text object');
      return;
    }
    if (v.type !== 'plain_text' && v.type !== 'mrkdwn') {
      this.add(`${pointer}/type`, 'must be one of plain_text, mrkdwn');
      return;
    }
    if (opts.plain && v.type !== 'plain_text') {
      this.add(`${pointer}/type`, 'must be plain_text');
    }
    if (typeof v.text !== 'string') {
      this.add(`${pointer}/text`, 'missing required field: text');
      return;
    }
    if (charLength(v.text) === 0) this.add(`${pointer}/text`, 'must be more than 0 characters');
    this.maxLen(v.text, opts.max, `${pointer}/text`);
    if (v.type === 'mrkdwn' && v.emoji !== undefined)
      this.add(`${pointer}/emoji`, 'emoji is only allowed on plain_text');
    if (v.type === 'plain_text' && v.verbatim !== undefined)
      this.add(`${pointer}/verbatim`, 'verbatim is only allowed on mrkdwn');
  }

  confirm(v: unknown, pointer: string): void {
    if (v === undefined) return;
    if (!isObj(v)) {
      this.add(pointer, 'must be a confirmation dialog object');
      return;
    }
    this.text(v.title, `${pointer}/title`, { max: LIMITS.confirmTitle, plain: true });
    this.text(v.text, `${pointer}/text`, { max: LIMITS.confirmText });
    this.text(v.confirm, `${pointer}/confirm`, { max: LIMITS.confirmButton, plain: true });
    this.text(v.deny, `${pointer}/deny`, { max: LIMITS.confirmButton, plain: true });
    if (v.style !== undefined && v.style !== 'primary' && v.style !== 'danger') {
      this.add(`${pointer}/style`, 'must be one of primary, danger');
    }
  }

  option(v: unknown, pointer: string, opts: { plain: boolean; url?: boolean }): string | undefined {
    if (!isObj(v)) {
      this.add(pointer, 'must be an option object');
      return undefined;
    }
    this.text(v.text, `${pointer}/text`, { max: LIMITS.optionText, plain: opts.plain });
    if (typeof v.value !== 'string') this.add(`${pointer}/value`, 'missing required field: value');
    else this.maxLen(v.value, LIMITS.optionValue, `${pointer}/value`);
    if (v.description !== undefined)
      this.text(v.description, `${pointer}/description`, { max: LIMITS.optionDescription, plain: opts.plain });
    if (v.url !== undefined) {
      if (!opts.url) this.add(`${pointer}/url`, 'url is only allowed in overflow menus');
      else this.optString(v, 'url', LIMITS.optionUrl, pointer);
    }
    return typeof v.value === 'string' ? v.value : undefined;
  }

  options(v: unknown, pointer: string, min: number, max: number, opts: { plain: boolean; url?: boolean }): string[] {
    if (!Array.isArray(v)) {
      this.add(pointer, 'missing required field: options');
      return [];
    }
    if (v.length < min) this.add(pointer, `must provide at least ${min} items`);
    if (v.length > max) this.add(pointer, `must provide no more than ${max} items`);
    const values: string[] = [];
    v.forEach((o, i) => {
      const val = this.option(o, `${pointer}/${i}`, opts);
      if (val !== undefined) values.push(val);
    });
    return values;
  }

  placeholder(el: Obj, pointer: string): void {
    if (el.placeholder !== undefined)
      this.text(el.placeholder, `${pointer}/placeholder`, { max: LIMITS.placeholder, plain: true });
  }

  actionId(el: Obj, pointer: string, seen: Set<string>): void {
    const id = el.action_id;
    if (id === undefined) return;
    if (typeof id !== 'string') {
      this.add(`${pointer}/action_id`, 'must be a string');
      return;
    }
    this.maxLen(id, LIMITS.actionId, `${pointer}/action_id`);
    if (seen.has(id)) this.add(`${pointer}/action_id`, `duplicate action_id "${id}"`);
    seen.add(id);
  }

  element(el: unknown, pointer: string, allowed: Set<string>, seenActionIds: Set<string>): void {
    if (!isObj(el)) {
      this.add(pointer, 'must be an element object');
      return;
    }
    const type = el.type;
    if (typeof type !== 'string' || !allowed.has(type)) {
      this.add(`${pointer}/type`, `unsupported type: ${String(type)}`);
      return;
    }
    if (type !== 'image') this.actionId(el, pointer, seenActionIds);
    switch (type) {
      case 'button': {
        this.text(el.text, `${pointer}/text`, { max: LIMITS.buttonText, plain: true });
        this.optString(el, 'value', LIMITS.buttonValue, pointer);
        this.optString(el, 'url', LIMITS.buttonUrl, pointer);
        this.optString(el, 'accessibility_label', LIMITS.accessibilityLabel, pointer);
        if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
          this.add(`${pointer}/style`, 'must be one of primary, danger');
        }
        this.confirm(el.confirm, `${pointer}/confirm`);
        return;
      }
      case 'static_select':
      case 'multi_static_select': {
        this.placeholder(el, pointer);
        let values: string[] = [];
        if (el.options !== undefined && el.option_groups !== undefined) {
          this.add(pointer, 'must provide either options or option_groups, not both');
        }
        if (el.option_groups !== undefined) {
          if (!Array.isArray(el.option_groups)) this.add(`${pointer}/option_groups`, 'must be an array');
          else {
            if (el.option_groups.length > LIMITS.optionGroups)
              this.add(`${pointer}/option_groups`, `must provide no more than ${LIMITS.optionGroups} items`);
            el.option_groups.forEach((g, i) => {
              const gp = `${pointer}/option_groups/${i}`;
              if (!isObj(g)) {
                this.add(gp, 'must be an option group object');
                return;
              }
              this.text(g.label, `${gp}/label`, { max: LIMITS.optionGroupLabel, plain: true });
              values = values.concat(
                this.options(g.options, `${gp}/options`, 1, LIMITS.selectOptions, { plain: true }),
              );
            });
          }
        } else {
          values = this.options(el.options, `${pointer}/options`, 1, LIMITS.selectOptions, { plain: true });
        }
        this.initialOptions(el, pointer, values);
        this.confirm(el.confirm, `${pointer}/confirm`);
        return;
      }
      case 'external_select':
      case 'users_select':
      case 'conversations_select':
      case 'channels_select':
      case 'multi_external_select':
      case 'multi_users_select':
      case 'multi_conversations_select':
      case 'multi_channels_select':
        this.placeholder(el, pointer);
        this.confirm(el.confirm, `${pointer}/confirm`);
        return;
      case 'overflow':
        this.options(el.options, `${pointer}/options`, LIMITS.overflowOptionsMin, LIMITS.overflowOptionsMax, {
          plain: true,
          url: true,
        });
        this.confirm(el.confirm, `${pointer}/confirm`);
        return;
      case 'radio_buttons': {
        const values = this.options(el.options, `${pointer}/options`, 1, LIMITS.radioOptions, { plain: false });
        this.initialOptions(el, pointer, values);
        this.confirm(el.confirm, `${pointer}/confirm`);
        return;
      }
      case 'checkboxes': {
        const values = this.options(el.options, `${pointer}/options`, 1, LIMITS.checkboxOptions, { plain: false });
        this.initialOptions(el, pointer, values);
        this.confirm(el.confirm, `${pointer}/confirm`);
        return;
      }
      case 'datepicker':
        this.placeholder(el, pointer);
        if (
          el.initial_date !== undefined &&
          (typeof el.initial_date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(el.initial_date))
        ) {
          this.add(`${pointer}/initial_date`, 'must match YYYY-MM-DD');
        }
        this.confirm(el.confirm, `${pointer}/confirm`);
        return;
      case 'timepicker':
        this.placeholder(el, pointer);
        if (
          el.initial_time !== undefined &&
          (typeof el.initial_time !== 'string' || !/^\d{2}:\d{2}$/.test(el.initial_time))
        ) {
          this.add(`${pointer}/initial_time`, 'must match HH:mm');
        }
        this.confirm(el.confirm, `${pointer}/confirm`);
        return;
      case 'plain_text_input': {
        this.placeholder(el, pointer);
        for (const key of ['min_length', 'max_length'] as const) {
          const v = el[key];
          if (v === undefined) continue;
          if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > LIMITS.plainTextInputLength) {
            this.add(`${pointer}/${key}`, `must be an integer between 0 and ${LIMITS.plainTextInputLength}`);
          }
        }
        if (typeof el.min_length === 'number' && typeof el.max_length === 'number' && el.min_length > el.max_length) {
          this.add(`${pointer}/min_length`, 'must not exceed max_length');
        }
        if (
          typeof el.initial_value === 'string' &&
          typeof el.max_length === 'number' &&
          charLength(el.initial_value) > el.max_length
        ) {
          this.add(`${pointer}/initial_value`, `must be less than ${el.max_length + 1} characters`);
        }
        return;
      }
      case 'number_input':
        if (typeof el.is_decimal_allowed !== 'boolean')
          this.add(`${pointer}/is_decimal_allowed`, 'missing required field: is_decimal_allowed');
        this.placeholder(el, pointer);
        return;
      case 'email_text_input':
      case 'url_text_input':
      case 'datetimepicker':
      case 'rich_text_input':
      case 'file_input':
      case 'workflow_button':
        this.placeholder(el, pointer);
        return;
      case 'image':
        this.imageSource(el, pointer);
        return;
    }
  }

  initialOptions(el: Obj, pointer: string, values: string[]): void {
    const check = (o: unknown, p: string): void => {
      if (isObj(o) && typeof o.value === 'string' && values.length > 0 && !values.includes(o.value)) {
        this.add(p, 'must match one of the options');
      }
    };
    if (el.initial_option !== undefined) check(el.initial_option, `${pointer}/initial_option`);
    if (Array.isArray(el.initial_options))
      el.initial_options.forEach((o, i) => check(o, `${pointer}/initial_options/${i}`));
  }

  imageSource(el: Obj, pointer: string): void {
    if (el.image_url === undefined && el.slack_file === undefined)
      this.add(`${pointer}/image_url`, 'missing required field: image_url');
    this.optString(el, 'image_url', LIMITS.imageUrl, pointer);
    if (typeof el.alt_text !== 'string') this.add(`${pointer}/alt_text`, 'missing required field: alt_text');
    else this.maxLen(el.alt_text, LIMITS.imageAltText, `${pointer}/alt_text`);
  }

  block(b: unknown, pointer: string, surface: Surface, blockIds: Set<string>): void {
    if (!isObj(b)) {
      this.add(pointer, 'must be a block object');
      return;
    }
    const type = b.type;
    if (typeof type !== 'string' || !BLOCK_TYPES.has(type)) {
      this.add(`${pointer}/type`, `unsupported type: ${String(type)}`);
      return;
    }
    if (b.block_id !== undefined) {
      if (typeof b.block_id !== 'string') this.add(`${pointer}/block_id`, 'must be a string');
      else {
        this.maxLen(b.block_id, LIMITS.blockId, `${pointer}/block_id`);
        if (blockIds.has(b.block_id)) this.add(`${pointer}/block_id`, `duplicate block_id "${b.block_id}"`);
        blockIds.add(b.block_id);
      }
    }
    // action_id must be unique among the elements of one block (the documented rule).
    const actionIds = new Set<string>();
    switch (type) {
      case 'section': {
        if (b.text === undefined && b.fields === undefined) this.add(pointer, 'must provide either text or fields');
        if (b.text !== undefined) this.text(b.text, `${pointer}/text`, { max: LIMITS.sectionText });
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields)) this.add(`${pointer}/fields`, 'must be an array');
          else {
            if (b.fields.length > LIMITS.sectionFields)
              this.add(`${pointer}/fields`, `must provide no more than ${LIMITS.sectionFields} items`);
            b.fields.forEach((f, i) => this.text(f, `${pointer}/fields/${i}`, { max: LIMITS.sectionFieldText }));
          }
        }
        if (b.accessory !== undefined) this.element(b.accessory, `${pointer}/accessory`, ACCESSORY_ELEMENTS, actionIds);
        return;
      }
      case 'header':
        this.text(b.text, `${pointer}/text`, { max: LIMITS.headerText, plain: true });
        return;
      case 'divider':
        return;
      case 'context': {
        if (!Array.isArray(b.elements) || b.elements.length === 0) {
          this.add(`${pointer}/elements`, 'must provide at least 1 items');
          return;
        }
        if (b.elements.length > LIMITS.contextElements)
          this.add(`${pointer}/elements`, `must provide no more than ${LIMITS.contextElements} items`);
        b.elements.forEach((e, i) => {
          const p = `${pointer}/elements/${i}`;
          if (isObj(e) && e.type === 'image') this.imageSource(e, p);
          else this.text(e, p, { max: LIMITS.sectionText });
        });
        return;
      }
      case 'actions': {
        if (!Array.isArray(b.elements) || b.elements.length === 0) {
          this.add(`${pointer}/elements`, 'must provide at least 1 items');
          return;
        }
        if (b.elements.length > LIMITS.actionsElements)
          this.add(`${pointer}/elements`, `must provide no more than ${LIMITS.actionsElements} items`);
        b.elements.forEach((e, i) => this.element(e, `${pointer}/elements/${i}`, ACTION_ELEMENTS, actionIds));
        return;
      }
      case 'input': {
        // The input block reference lists modals and Home tabs as its surfaces; a message
        // carrying one is refused here (stricter than Slack may be, never looser).
        if (surface === 'message') this.add(pointer, 'input blocks are not allowed in messages');
        this.text(b.label, `${pointer}/label`, { max: LIMITS.inputLabel, plain: true });
        if (b.hint !== undefined) this.text(b.hint, `${pointer}/hint`, { max: LIMITS.inputHint, plain: true });
        if (b.element === undefined) this.add(`${pointer}/element`, 'missing required field: element');
        else this.element(b.element, `${pointer}/element`, INPUT_ELEMENTS, actionIds);
        if (b.optional !== undefined && typeof b.optional !== 'boolean')
          this.add(`${pointer}/optional`, 'must be a boolean');
        if (b.dispatch_action !== undefined && typeof b.dispatch_action !== 'boolean')
          this.add(`${pointer}/dispatch_action`, 'must be a boolean');
        return;
      }
      case 'image':
        this.imageSource(b, pointer);
        if (b.title !== undefined) this.text(b.title, `${pointer}/title`, { max: LIMITS.imageTitle, plain: true });
        return;
      case 'markdown':
        if (typeof b.text !== 'string') this.add(`${pointer}/text`, 'missing required field: text');
        else this.maxLen(b.text, LIMITS.markdownBlockText, `${pointer}/text`);
        return;
      case 'rich_text':
        if (!Array.isArray(b.elements)) this.add(`${pointer}/elements`, 'missing required field: elements');
        return;
      default:
        return;
    }
  }

  blocks(blocks: unknown, surface: Surface, pointer: string): void {
    if (!Array.isArray(blocks)) {
      this.add(pointer, 'must be an array');
      return;
    }
    const max = surface === 'message' ? LIMITS.messageBlocks : LIMITS.viewBlocks;
    if (blocks.length > max) this.add(pointer, `must provide no more than ${max} items`);
    const blockIds = new Set<string>();
    blocks.forEach((b, i) => this.block(b, `${pointer}/${i}`, surface, blockIds));
  }
}

export function validateBlocks(blocks: unknown, surface: Surface, pointer = '/blocks'): BlockIssue[] {
  const v = new Validator();
  v.blocks(blocks, surface, pointer);
  return v.issues;
}

/** A view object for views.open/update/push/publish or a response_action. */
export function validateView(view: unknown, pointer = '/view'): BlockIssue[] {
  const v = new Validator();
  if (!isObj(view)) {
    v.add(pointer, 'must be a view object');
    return v.issues;
  }
  if (view.type !== 'modal' && view.type !== 'home') {
    v.add(`${pointer}/type`, 'must be one of modal, home');
    return v.issues;
  }
  const surface: Surface = view.type;
  if (view.blocks === undefined) v.add(`${pointer}/blocks`, 'missing required field: blocks');
  else v.blocks(view.blocks, surface, `${pointer}/blocks`);
  if (surface === 'modal') {
    v.text(view.title, `${pointer}/title`, { max: LIMITS.viewTitle, plain: true });
    if (view.submit !== undefined) v.text(view.submit, `${pointer}/submit`, { max: LIMITS.viewButton, plain: true });
    if (view.close !== undefined) v.text(view.close, `${pointer}/close`, { max: LIMITS.viewButton, plain: true });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && view.submit === undefined)
      v.add(`${pointer}/submit`, 'submit is required when an input block is present');
  }
  v.optString(view, 'private_metadata', LIMITS.privateMetadata, pointer);
  v.optString(view, 'callback_id', LIMITS.callbackId, pointer);
  v.optString(view, 'external_id', LIMITS.externalId, pointer);
  for (const key of ['clear_on_close', 'notify_on_close']) {
    if (view[key] !== undefined && typeof view[key] !== 'boolean') v.add(`${pointer}/${key}`, 'must be a boolean');
  }
  return v.issues;
}

/** Slack's two renderings of the same issues: `errors` and `response_metadata.messages`. */
export function describeIssues(issues: BlockIssue[]): { errors: string[]; messages: string[] } {
  const errors = issues.map((i) => `${i.message} [json-pointer:${i.pointer}]`);
  return { errors, messages: errors.map((e) => `[ERROR] ${e}`) };
}

/** Every interactive element of a block list, with the block it sits in. */
export function* interactiveElements(blocks: unknown): Generator<{ block: Obj; blockIndex: number; element: Obj }> {
  if (!Array.isArray(blocks)) return;
  for (const [blockIndex, block] of blocks.entries()) {
    if (!isObj(block)) continue;
    const candidates: unknown[] = [];
    if (Array.isArray(block.elements)) candidates.push(...block.elements);
    if (block.accessory !== undefined) candidates.push(block.accessory);
    if (block.element !== undefined) candidates.push(block.element);
    for (const el of candidates) {
      if (isObj(el) && typeof el.type === 'string' && isInteractive(el.type)) yield { block, blockIndex, element: el };
    }
  }
}
