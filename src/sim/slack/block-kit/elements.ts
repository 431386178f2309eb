/**
 * One block element checked against its reference page (docs.slack.dev/reference/block-kit/
 * block-elements/<type>): which fields it needs, their limits, and that its initial values
 * are among its options. `allowed` is what the containing place accepts (./element-types.ts).
 */
import { BlockChecker, isObj, type Obj } from './checker.js';
import { charLength, LIMITS } from './limits.js';

export function checkElement(
  v: BlockChecker,
  value: unknown,
  pointer: string,
  allowed: ReadonlySet<string>,
  seenActionIds: Set<string>,
): void {
  const el = v.typed(value, pointer, 'an element object', allowed);
  if (!el) return;
  const type = el.type;
  if (type !== 'image') v.actionId(el, pointer, seenActionIds);
  switch (type) {
    case 'button': {
      v.text(el.text, `${pointer}/text`, { max: LIMITS.buttonText, plain: true });
      v.optString(el, 'value', LIMITS.buttonValue, pointer);
      v.optString(el, 'url', LIMITS.buttonUrl, pointer);
      v.optString(el, 'accessibility_label', LIMITS.accessibilityLabel, pointer);
      v.style(el, pointer);
      v.confirm(el.confirm, `${pointer}/confirm`);
      return;
    }
    case 'static_select':
    case 'multi_static_select': {
      v.placeholder(el, pointer);
      v.initialOptions(el, pointer, staticSelectOptions(v, el, pointer));
      v.confirm(el.confirm, `${pointer}/confirm`);
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
      v.placeholder(el, pointer);
      v.confirm(el.confirm, `${pointer}/confirm`);
      return;
    case 'overflow':
      v.options(el.options, `${pointer}/options`, LIMITS.overflowOptionsMin, LIMITS.overflowOptionsMax, {
        plain: true,
        url: true,
      });
      v.confirm(el.confirm, `${pointer}/confirm`);
      return;
    case 'radio_buttons':
    case 'checkboxes': {
      const max = type === 'radio_buttons' ? LIMITS.radioOptions : LIMITS.checkboxOptions;
      const values = v.options(el.options, `${pointer}/options`, 1, max, { plain: false });
      v.initialOptions(el, pointer, values);
      v.confirm(el.confirm, `${pointer}/confirm`);
      return;
    }
    case 'datepicker':
      v.placeholder(el, pointer);
      v.matching(el, 'initial_date', /^\d{4}-\d{2}-\d{2}$/, pointer, 'YYYY-MM-DD');
      v.confirm(el.confirm, `${pointer}/confirm`);
      return;
    case 'timepicker':
      v.placeholder(el, pointer);
      v.matching(el, 'initial_time', /^\d{2}:\d{2}$/, pointer, 'HH:mm');
      v.confirm(el.confirm, `${pointer}/confirm`);
      return;
    case 'plain_text_input':
      checkPlainTextInput(v, el, pointer);
      return;
    case 'number_input':
      if (typeof el.is_decimal_allowed !== 'boolean')
        v.add(`${pointer}/is_decimal_allowed`, 'missing required field: is_decimal_allowed');
      v.placeholder(el, pointer);
      return;
    case 'email_text_input':
    case 'url_text_input':
    case 'datetimepicker':
    case 'rich_text_input':
    case 'file_input':
    case 'workflow_button':
      v.placeholder(el, pointer);
      return;
    case 'image':
      v.imageSource(el, pointer);
      return;
  }
}

/** A static select lists `options` or `option_groups`, never both; returns every option value. */
function staticSelectOptions(v: BlockChecker, el: Obj, pointer: string): string[] {
  let values: string[] = [];
  if (el.options !== undefined && el.option_groups !== undefined) {
    v.add(pointer, 'must provide either options or option_groups, not both');
  }
  if (el.option_groups === undefined) {
    return v.options(el.options, `${pointer}/options`, 1, LIMITS.selectOptions, { plain: true });
  }
  if (!Array.isArray(el.option_groups)) {
    v.add(`${pointer}/option_groups`, 'must be an array');
    return values;
  }
  if (el.option_groups.length > LIMITS.optionGroups)
    v.add(`${pointer}/option_groups`, `must provide no more than ${LIMITS.optionGroups} items`);
  el.option_groups.forEach((g, i) => {
    const gp = `${pointer}/option_groups/${i}`;
    if (!isObj(g)) {
      v.add(gp, 'must be an option group object');
      return;
    }
    v.text(g.label, `${gp}/label`, { max: LIMITS.optionGroupLabel, plain: true });
    values = values.concat(v.options(g.options, `${gp}/options`, 1, LIMITS.selectOptions, { plain: true }));
  });
  return values;
}

function checkPlainTextInput(v: BlockChecker, el: Obj, pointer: string): void {
  v.placeholder(el, pointer);
  for (const key of ['min_length', 'max_length'] as const) {
    const n = el[key];
    if (n === undefined) continue;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > LIMITS.plainTextInputLength) {
      v.add(`${pointer}/${key}`, `must be an integer between 0 and ${LIMITS.plainTextInputLength}`);
    }
  }
  if (typeof el.min_length === 'number' && typeof el.max_length === 'number' && el.min_length > el.max_length) {
    v.add(`${pointer}/min_length`, 'must not exceed max_length');
  }
  if (
    typeof el.initial_value === 'string' &&
    typeof el.max_length === 'number' &&
    charLength(el.initial_value) > el.max_length
  ) {
    v.add(`${pointer}/initial_value`, `must be less than ${el.max_length + 1} characters`);
  }
}
