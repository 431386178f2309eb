/**
 * Block Kit validation with Slack's documented limits, so a payload Slack would refuse is
 * refused here too. Issues are reported the way Slack reports them: a sentence and the
 * JSON pointer of the offending value ("must be less than 3001 characters
 * [json-pointer:/blocks/0/text/text]"). The checks live in ./block-kit/ (limits and their
 * pages in block-kit/limits.ts); this module is what the methods and the driver use.
 */
import { BlockChecker, isObj, type Obj } from './block-kit/checker.js';
import { checkBlocks } from './block-kit/blocks.js';
import { isInteractive } from './block-kit/element-types.js';
import type { BlockIssue, Surface } from './block-kit/limits.js';

export { charLength, LIMITS, type BlockIssue, type Surface } from './block-kit/limits.js';
export { isInteractive } from './block-kit/element-types.js';
export { validateView } from './block-kit/view.js';

export function validateBlocks(blocks: unknown, surface: Surface, pointer = '/blocks'): BlockIssue[] {
  const v = new BlockChecker();
  checkBlocks(v, blocks, surface, pointer);
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
