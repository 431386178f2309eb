/**
 * A view object for views.open/update/push/publish or a response_action, checked against
 * docs.slack.dev/reference/views/modal-views (title/submit/close ≤ 24, private_metadata ≤ 3000,
 * callback_id ≤ 255, submit required with input blocks) and its blocks against ./blocks.ts.
 */
import { checkBlocks } from './blocks.js';
import { BlockChecker, isObj } from './checker.js';
import { LIMITS, type BlockIssue, type Surface } from './limits.js';

export function validateView(view: unknown, pointer = '/view'): BlockIssue[] {
  const v = new BlockChecker();
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
  else checkBlocks(v, view.blocks, surface, `${pointer}/blocks`);
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
