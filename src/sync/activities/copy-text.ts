/**
 * Activities as rows of PostgreSQL's COPY text format, for the catch-up's fast path on
 * PostgreSQL (`copy-writer.ts`): the database then does for each activity exactly what a
 * plain `COPY activity_events FROM STDIN` does. Pure.
 *
 * `raw` is each activity's JSON text as the response body carried it, cut out of the body
 * (the body was already parsed and validated), so nothing is serialised again and the
 * stored JSON is what the API sent, numbers included.
 */

const QUOTE = 34; // "
const BACKSLASH = 92;

/** Index of the `"` that closes the string opening at `start`. */
function endOfString(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q === -1) throw new SyntaxError('unterminated string');
    let escapes = 0;
    for (let k = q - 1; text.charCodeAt(k) === BACKSLASH; k--) escapes += 1;
    if (escapes % 2 === 0) return q;
    from = q + 1;
  }
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
    i += 1;
  }
}

/** Index just past the JSON value starting at `i`. */
function endOfValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return endOfString(text, i) + 1;
  if (c === 123 /* { */ || c === 91 /* [ */) {
    let depth = 0;
    for (;;) {
      const d = text.charCodeAt(i);
      if (Number.isNaN(d)) throw new SyntaxError('unterminated value');
      if (d === QUOTE) {
        i = endOfString(text, i) + 1;
        continue;
      }
      if (d === 123 || d === 91) depth += 1;
      else if (d === 125 /* } */ || d === 93 /* ] */) {
        depth -= 1;
        if (depth === 0) return i + 1;
      }
      i += 1;
    }
  }
  // A number, true, false or null: up to the next separator.
  for (;;) {
    const d = text.charCodeAt(i);
    if (Number.isNaN(d) || d === 44 || d === 93 || d === 125 || d === 32 || d === 10 || d === 13 || d === 9) return i;
    i += 1;
  }
}

/**
 * The text of each element of the array under `key` in a JSON object's text, in order;
 * undefined when the object has no such key written plainly (an escaped key name, say).
 * The text must be valid JSON.
 */
export function arrayElementTexts(json: string, key: string): string[] | undefined {
  let i = skipSpace(json, 0);
  if (json.charCodeAt(i) !== 123) return undefined;
  i = skipSpace(json, i + 1);
  while (json.charCodeAt(i) === QUOTE) {
    const close = endOfString(json, i);
    const name = json.slice(i + 1, close);
    i = skipSpace(json, skipSpace(json, close + 1) + 1); // past the colon
    if (name === key) {
      if (json.charCodeAt(i) !== 91) return undefined;
      const out: string[] = [];
      i = skipSpace(json, i + 1);
      while (json.charCodeAt(i) !== 93) {
        const end = endOfValue(json, i);
        out.push(json.slice(i, end));
        i = skipSpace(json, end);
        if (json.charCodeAt(i) === 44 /* , */) i = skipSpace(json, i + 1);
      }
      return out;
    }
    i = skipSpace(json, endOfValue(json, i));
    if (json.charCodeAt(i) !== 44) return undefined;
    i = skipSpace(json, i + 1);
  }
  return undefined;
}

const SPECIAL = /[\\\n\r\t]/;
const SPECIAL_ALL = /[\\\n\r\t]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A value as a field of COPY's text format: backslash, newline, carriage return and tab escaped. */
export function copyField(value: string): string {
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPED[c]!) : value;
}

/** `\N`: COPY's text format for NULL. */
export const COPY_NULL = '\\N';
