import { SlackApiError } from './errors.js';

/**
 * Reads a method's arguments the way Slack does: form bodies carry only strings (nested
 * values JSON-encoded, as WebClient sends them), JSON bodies carry typed values.
 */
export class Args {
  constructor(readonly raw: Record<string, unknown>) {}

  has(name: string): boolean {
    const v = this.raw[name];
    return v !== undefined && v !== null && v !== '';
  }

  str(name: string): string | undefined {
    const v = this.raw[name];
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return undefined;
  }

  bool(name: string): boolean | undefined {
    const v = this.raw[name];
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === '1' || v === 1) return true;
    if (v === 'false' || v === '0' || v === 0) return false;
    return undefined;
  }

  int(name: string): number | undefined {
    const v = this.raw[name];
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    return Number.isInteger(n) ? n : undefined;
  }

  /**
   * A JSON-valued argument (blocks, view, files…): decoded when it arrived as a string.
   * `badFormat` names the error Slack answers when the string is not JSON.
   */
  json(name: string, badFormat: string): unknown {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      throw new SlackApiError(badFormat);
    }
  }
}

/** Argument names whose string values are JSON, decoded for the call log. */
export const JSON_ARGS = ['blocks', 'attachments', 'view', 'files', 'metadata'];
