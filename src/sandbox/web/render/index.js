// @ts-check
/** The page's renderers: pure functions from workspace data to HTML strings. */
export { escapeHtml, decodeSlackEntities, isSafeUrl } from './escape.js';
export { formatSlackDate, ordinal, ago } from './dates.js';
export { emojify, EMOJI } from './emoji.js';
export { renderMrkdwn, userMention } from './mrkdwn.js';
export { renderTextObject, plainOf } from './text.js';
export { renderElement, selectableUsers } from './elements.js';
export { renderInputBlock, stateValues, initialValues } from './inputs.js';
export { renderBlocks, renderBlock, renderAttachments } from './blocks.js';
export { renderRichText } from './rich-text.js';
export { renderMessage, renderConversation, renderContent } from './message.js';
export { renderModal, renderHome } from './view.js';
export { renderOrgPanel } from './org.js';
