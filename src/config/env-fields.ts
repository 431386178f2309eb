import { z } from 'zod';
import { urlCarriesSecrets } from '../domain/redact.js';

/** The field types of the environment's schema (env.ts), with the messages a wrong value gets. */

export const slackId = (prefixes: string, what: string) =>
  z
    .string()
    .regex(new RegExp(`^[${prefixes}][A-Z0-9]{2,}$`), `must be a Slack ${what} id (e.g. ${prefixes[0]}0123ABCD)`);

export const httpUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an http(s) URL');

/**
 * An API base URL: Steward sends its keys in headers, and URLs are quoted in errors and
 * logs, so a URL carrying credentials is refused (fetch refuses userinfo anyway).
 */
export const apiBaseUrl = httpUrl.refine(
  (v) => !urlCarriesSecrets(v),
  'must not carry credentials (no user:password@, no token, key or signature in the query); Steward sends its keys in headers',
);

export const bool = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no', ''].includes(v), 'must be true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * STEWARD_AUDIT_KEY: `<id>:<base64 key>[,<id>:<base64 key>…]`, newest first. The first
 * signs new audit rows; the others only verify the rows they signed (key rotation).
 * Messages name the entry, never its value.
 */
export const auditKeys = z.string().transform((v, ctx) => {
  const keys: { id: string; secret: Buffer; text: string }[] = [];
  v.split(',').forEach((entry, i) => {
    const at = entry.indexOf(':');
    const id = at < 0 ? '' : entry.slice(0, at).trim();
    const text = at < 0 ? '' : entry.slice(at + 1).trim();
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message, path: [i] });
    if (!/^[A-Za-z0-9_.-]{1,32}$/.test(id))
      return problem('must be <key id>:<base64 key>, the id 1 to 32 letters, digits, "_", "." or "-"');
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) || Buffer.from(text, 'base64').length < 32)
      return problem('the key must be base64 of at least 32 random bytes (e.g. `openssl rand -base64 32`)');
    const first = keys.findIndex((k) => k.id === id);
    if (first >= 0) return problem(`repeats the key id of entry ${first + 1}`);
    keys.push({ id, secret: Buffer.from(text, 'base64'), text });
  });
  return keys;
});

export const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
export const opt = <T extends z.ZodType>(schema: T) => z.preprocess(emptyToUndefined, schema.optional());

/**
 * ANTHROPIC_ADMIN_KEYS: several organisations' Admin API keys, separated by commas (or
 * whitespace, so a multi-line secret works), one per organisation. Which organisation a key
 * belongs to is asked of the API (`GET /v1/organizations/me`), never typed here. Messages name
 * the entry, never its value.
 */
export const adminKeyList = z.string().transform((v, ctx) => {
  const keys: string[] = [];
  v.split(/[\s,]+/)
    .filter(Boolean)
    .forEach((entry, i) => {
      const problem = (message: string) => ctx.addIssue({ code: 'custom', message, path: [i] });
      if (!/^\S{8,}$/.test(entry)) return problem('must be an Admin API key (sk-ant-admin…)');
      const first = keys.indexOf(entry);
      if (first >= 0) return problem(`repeats entry ${first + 1} (one key per organisation)`);
      keys.push(entry);
    });
  if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'must list at least one Admin API key' });
  return keys;
});
