import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkBodyShape, verifySignature } from './request-shape.js';

const SECRET = 'abcdef0123456789abcdef0123456789';
const NOW = 1_800_000_000_000;
const sign = (ts: number, body: string) =>
  `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;

describe('verifySignature', () => {
  const at = (offsetSeconds: number, body = 'x=1') => {
    const ts = Math.floor(NOW / 1000) + offsetSeconds;
    return verifySignature(SECRET, { timestamp: String(ts), signature: sign(ts, body) }, body, NOW);
  };
  it('accepts a fresh correct signature, and one 4 minutes either way', () => {
    expect(at(0)).toEqual({ ok: true });
    expect(at(-240)).toEqual({ ok: true });
    expect(at(240)).toEqual({ ok: true });
  });
  it('refuses timestamps more than 5 minutes in the past or the future', () => {
    expect(at(-301)).toMatchObject({ ok: false, status: 401, why: expect.stringContaining('old') });
    expect(at(301)).toMatchObject({ ok: false, status: 401, why: expect.stringContaining('future') });
  });
  it('refuses a wrong, missing or malformed signature', () => {
    const ts = String(Math.floor(NOW / 1000));
    expect(verifySignature(SECRET, { timestamp: ts, signature: sign(Number(ts), 'other') }, 'x=1', NOW).ok).toBe(false);
    expect(verifySignature(SECRET, { timestamp: ts, signature: undefined }, 'x=1', NOW).ok).toBe(false);
    expect(verifySignature(SECRET, { timestamp: 'soon', signature: 'v0=00' }, 'x=1', NOW).ok).toBe(false);
    expect(verifySignature(SECRET, { timestamp: ts, signature: 'v0=00' }, 'x=1', NOW).ok).toBe(false);
  });
});

describe('checkBodyShape', () => {
  const FORM = 'application/x-www-form-urlencoded';
  const form = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  it.each([
    ['payload=null', FORM, 'null'],
    ['null', 'application/json', 'null'],
    ['[]', 'application/json', 'an array'],
    ['7', 'application/json', 'number'],
    ['{', 'application/json', 'not JSON'],
    ['payload=%7B', FORM, 'not JSON'],
    ['payload=1&payload=2', FORM, 'more than one'],
    ['text=hi', FORM, 'neither'],
    [form({ type: 'block_actions' }), FORM, 'without a user'],
    [form({ type: 'view_submission', user: { id: 'U1' } }), FORM, 'without a user or view'],
    [form({ type: 'nonsense', user: { id: 'U1' } }), FORM, 'unexpected payload type'],
    ['{"type":"event_callback"}', 'application/json', 'event type'],
  ])('refuses %s (%s) with 400 saying why', (body, type, why) => {
    expect(checkBodyShape(body, type)).toMatchObject({ ok: false, status: 400, why: expect.stringContaining(why) });
  });
  it('passes what Slack sends', () => {
    expect(checkBodyShape('command=%2Fsteward&user_id=U1&team_id=T1&text=help', FORM).ok).toBe(true);
    const click = { type: 'block_actions', user: { id: 'U1' }, actions: [{ action_id: 'a' }] };
    expect(checkBodyShape(form(click), FORM).ok).toBe(true);
    const submit = { type: 'view_submission', user: { id: 'U1' }, view: { state: { values: {} } } };
    expect(checkBodyShape(form(submit), FORM).ok).toBe(true);
    expect(checkBodyShape('{"type":"event_callback","event":{"type":"app_home_opened"}}', 'application/json').ok).toBe(
      true,
    );
    expect(checkBodyShape('{"type":"url_verification","challenge":"c"}', 'application/json').ok).toBe(true);
  });
});
