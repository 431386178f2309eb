/**
 * Which element types each place in a block accepts (docs.slack.dev/reference/block-kit/blocks:
 * the actions block's elements, the input block's element, the section block's accessory), and
 * which block types exist. The select menus are accepted in all three places, so they are listed
 * once.
 */

const SELECT_MENUS = [
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
];

export const ACTION_ELEMENTS: ReadonlySet<string> = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'overflow',
  'radio_buttons',
  'timepicker',
  ...SELECT_MENUS,
  'workflow_button',
  'rich_text_input',
]);

export const INPUT_ELEMENTS: ReadonlySet<string> = new Set([
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
  ...SELECT_MENUS,
]);

export const ACCESSORY_ELEMENTS: ReadonlySet<string> = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'image',
  'overflow',
  'radio_buttons',
  'timepicker',
  ...SELECT_MENUS,
  'workflow_button',
]);

export const BLOCK_TYPES: ReadonlySet<string> = new Set([
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
