/**
 * Slack's documented Block Kit limits, and the shape of an issue found against them.
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

/** Slack counts characters, not UTF-16 code units. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
