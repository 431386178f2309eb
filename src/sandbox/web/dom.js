// @ts-check
/** Typed DOM look-ups for the page's plain JavaScript. */

/**
 * The nearest ancestor (or the node itself) matching `selector`, when it is an HTML element.
 * @param {Element} node
 * @param {string} selector
 * @returns {HTMLElement | null}
 */
export function closestEl(node, selector) {
  const found = node.closest(selector);
  return found instanceof HTMLElement ? found : null;
}

/**
 * The first descendant matching `selector`, when it is an HTML element.
 * @param {ParentNode} root
 * @param {string} selector
 * @returns {HTMLElement | null}
 */
export function queryEl(root, selector) {
  const found = root.querySelector(selector);
  return found instanceof HTMLElement ? found : null;
}
