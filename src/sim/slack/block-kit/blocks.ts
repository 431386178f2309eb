/**
 * A list of blocks, and each block, checked against docs.slack.dev/reference/block-kit/blocks:
 * the count per surface, unique block_ids, the fields each block type needs, and the elements
 * each place accepts (./element-types.ts, checked by ./elements.ts).
 */
import { BlockChecker, isObj, type Obj } from './checker.js';
import { ACCESSORY_ELEMENTS, ACTION_ELEMENTS, BLOCK_TYPES, INPUT_ELEMENTS } from './element-types.js';
import { checkElement } from './elements.js';
import { LIMITS, type Surface } from './limits.js';

export function checkBlocks(v: BlockChecker, blocks: unknown, surface: Surface, pointer: string): void {
  if (!Array.isArray(blocks)) {
    v.add(pointer, 'must be an array');
    return;
  }
  const max = surface === 'message' ? LIMITS.messageBlocks : LIMITS.viewBlocks;
  if (blocks.length > max) v.add(pointer, `must provide no more than ${max} items`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => checkBlock(v, b, `${pointer}/${i}`, surface, blockIds));
}

function checkBlock(v: BlockChecker, value: unknown, pointer: string, surface: Surface, blockIds: Set<string>): void {
  const b = v.typed(value, pointer, 'a block object', BLOCK_TYPES);
  if (!b) return;
  const type = b.type;
  if (b.block_id !== undefined) {
    if (typeof b.block_id !== 'string') v.add(`${pointer}/block_id`, 'must be a string');
    else {
      v.maxLen(b.block_id, LIMITS.blockId, `${pointer}/block_id`);
      if (blockIds.has(b.block_id)) v.add(`${pointer}/block_id`, `duplicate block_id "${b.block_id}"`);
      blockIds.add(b.block_id);
    }
  }
  // action_id must be unique among the elements of one block (the documented rule).
  const actionIds = new Set<string>();
  switch (type) {
    case 'section': {
      if (b.text === undefined && b.fields === undefined) v.add(pointer, 'must provide either text or fields');
      if (b.text !== undefined) v.text(b.text, `${pointer}/text`, { max: LIMITS.sectionText });
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields)) v.add(`${pointer}/fields`, 'must be an array');
        else {
          if (b.fields.length > LIMITS.sectionFields)
            v.add(`${pointer}/fields`, `must provide no more than ${LIMITS.sectionFields} items`);
          b.fields.forEach((f, i) => v.text(f, `${pointer}/fields/${i}`, { max: LIMITS.sectionFieldText }));
        }
      }
      if (b.accessory !== undefined)
        checkElement(v, b.accessory, `${pointer}/accessory`, ACCESSORY_ELEMENTS, actionIds);
      return;
    }
    case 'header':
      v.text(b.text, `${pointer}/text`, { max: LIMITS.headerText, plain: true });
      return;
    case 'divider':
      return;
    case 'context':
      elementList(v, b, pointer, LIMITS.contextElements)?.forEach((e, i) => {
        const p = `${pointer}/elements/${i}`;
        if (isObj(e) && e.type === 'image') v.imageSource(e, p);
        else v.text(e, p, { max: LIMITS.sectionText });
      });
      return;
    case 'actions':
      elementList(v, b, pointer, LIMITS.actionsElements)?.forEach((e, i) =>
        checkElement(v, e, `${pointer}/elements/${i}`, ACTION_ELEMENTS, actionIds),
      );
      return;
    case 'input': {
      // The input block reference lists modals and Home tabs as its surfaces; a message
      // carrying one is refused here (stricter than Slack may be, never looser).
      if (surface === 'message') v.add(pointer, 'input blocks are not allowed in messages');
      v.text(b.label, `${pointer}/label`, { max: LIMITS.inputLabel, plain: true });
      if (b.hint !== undefined) v.text(b.hint, `${pointer}/hint`, { max: LIMITS.inputHint, plain: true });
      if (b.element === undefined) v.add(`${pointer}/element`, 'missing required field: element');
      else checkElement(v, b.element, `${pointer}/element`, INPUT_ELEMENTS, actionIds);
      if (b.optional !== undefined && typeof b.optional !== 'boolean')
        v.add(`${pointer}/optional`, 'must be a boolean');
      if (b.dispatch_action !== undefined && typeof b.dispatch_action !== 'boolean')
        v.add(`${pointer}/dispatch_action`, 'must be a boolean');
      return;
    }
    case 'image':
      v.imageSource(b, pointer);
      if (b.title !== undefined) v.text(b.title, `${pointer}/title`, { max: LIMITS.imageTitle, plain: true });
      return;
    case 'markdown':
      if (typeof b.text !== 'string') v.add(`${pointer}/text`, 'missing required field: text');
      else v.maxLen(b.text, LIMITS.markdownBlockText, `${pointer}/text`);
      return;
    case 'rich_text':
      if (!Array.isArray(b.elements)) v.add(`${pointer}/elements`, 'missing required field: elements');
      return;
    default:
      return;
  }
}

/** The `elements` of a context or actions block: at least one, at most `max`; undefined when absent or empty. */
function elementList(v: BlockChecker, b: Obj, pointer: string, max: number): unknown[] | undefined {
  if (!Array.isArray(b.elements) || b.elements.length === 0) {
    v.add(`${pointer}/elements`, 'must provide at least 1 items');
    return undefined;
  }
  if (b.elements.length > max) v.add(`${pointer}/elements`, `must provide no more than ${max} items`);
  return b.elements;
}
