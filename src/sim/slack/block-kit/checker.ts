/**
 * The checks every Block Kit object is built from: a text object, a confirmation dialog,
 * options, placeholders, action ids, image sources. Each records an issue the way Slack
 * reports one (a sentence and the JSON pointer of the offending value) and carries on, so
 * one answer lists every problem. Limits and their pages: ./limits.ts.
 */
import { charLength, LIMITS, type BlockIssue } from './limits.js';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export class BlockChecker {
  readonly issues: BlockIssue[] = [];

  add(pointer: string, message: string): void {
    this.issues.push({ pointer, message });
  }

  /** A block or an element: an object whose `type` is one `allowed` here; undefined (issue recorded) otherwise. */
  typed(v: unknown, pointer: string, what: string, allowed: ReadonlySet<string>): (Obj & { type: string }) | undefined {
    if (!isObj(v)) {
      this.add(pointer, `must be ${what}`);
      return undefined;
    }
    const type = v.type;
    if (typeof type !== 'string' || !allowed.has(type)) {
      this.add(`${pointer}/type`, `unsupported type: ${String(type)}`);
      return undefined;
    }
    return v as Obj & { type: string };
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

  /** Buttons and confirmation dialogs take the same two styles. */
  style(obj: Obj, pointer: string): void {
    if (obj.style !== undefined && obj.style !== 'primary' && obj.style !== 'danger') {
      this.add(`${pointer}/style`, 'must be one of primary, danger');
    }
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
    this.style(v, pointer);
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

  /** initial_option(s) must be among the element's options (when it lists any). */
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

  /** An optional string field that must match `pattern` (a date picker's YYYY-MM-DD, a time picker's HH:mm). */
  matching(el: Obj, key: string, pattern: RegExp, pointer: string, format: string): void {
    const v = el[key];
    if (v !== undefined && (typeof v !== 'string' || !pattern.test(v)))
      this.add(`${pointer}/${key}`, `must match ${format}`);
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

  imageSource(el: Obj, pointer: string): void {
    if (el.image_url === undefined && el.slack_file === undefined)
      this.add(`${pointer}/image_url`, 'missing required field: image_url');
    this.optString(el, 'image_url', LIMITS.imageUrl, pointer);
    if (typeof el.alt_text !== 'string') this.add(`${pointer}/alt_text`, 'missing required field: alt_text');
    else this.maxLen(el.alt_text, LIMITS.imageAltText, `${pointer}/alt_text`);
  }
}
