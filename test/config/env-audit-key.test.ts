import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { ConfigError, loadConfig, secretValues } from '../../src/config/env.js';

const K1 = Buffer.alloc(32, 0x11).toString('base64');
const K2 = Buffer.alloc(48, 0x22).toString('base64url');

function problems(value: string): string {
  try {
    loadConfig({ STEWARD_AUDIT_KEY: value }, []);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('STEWARD_AUDIT_KEY', () => {
  it('is optional: no keys, rows chained but not keyed', () => {
    expect(loadConfig({}, []).auditKeys).toEqual([]);
    expect(loadConfig({ STEWARD_AUDIT_KEY: '  ' }, []).auditKeys).toEqual([]);
  });

  it('reads <id>:<base64> entries, newest first, base64 or base64url', () => {
    const keys = loadConfig({ STEWARD_AUDIT_KEY: ` k2:${K2} , k1:${K1}` }, []).auditKeys;
    expect(keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(keys[0]!.secret.equals(Buffer.alloc(48, 0x22))).toBe(true);
    expect(keys[1]!.secret.equals(Buffer.alloc(32, 0x11))).toBe(true);
  });

  it.each([
    ['no id', K1, /entry 1 must be <key id>:<base64 key>/],
    ['an empty id', `:${K1}`, /entry 1 must be <key id>:<base64 key>/],
    ['a bad id', `k 1:${K1}`, /entry 1 must be <key id>/],
    ['a short key', `k1:${Buffer.alloc(31, 1).toString('base64')}`, /entry 1 the key must be base64 of at least 32/],
    ['a key that is not base64', `k1:${'!'.repeat(44)}`, /entry 1 the key must be base64/],
    ['a repeated id', `k1:${K1},k1:${K2}`, /entry 2 repeats the key id of entry 1/],
    ['an empty entry', `k1:${K1},`, /entry 2 must be <key id>/],
  ])('refuses %s, naming the entry and never the value', (_what, value, message) => {
    const text = problems(value);
    expect(text).toMatch(/STEWARD_AUDIT_KEY: /);
    expect(text).toMatch(message);
    for (const part of value.split(/[,:]/).filter((p) => p.length >= 6)) expect(text).not.toContain(part);
  });

  it('is a secret: the key text is scrubbed from logs, the keys path redacted', () => {
    const config = loadConfig({ STEWARD_AUDIT_KEY: `k2:${K2},k1:${K1}` }, []);
    expect(secretValues(config)).toEqual(expect.arrayContaining([K1, K2]));
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const log = createLogger({ secrets: secretValues(config), destination: out });
    log.info({ auditKeys: config.auditKeys }, `keys ${K1} and ${K2}`);
    log.info({ config: { auditKeys: config.auditKeys } }, 'nested');
    expect(text).not.toContain(K1);
    expect(text).not.toContain(K2);
    expect(text).not.toContain('"data":[34,34');
    expect(text).toContain('[REDACTED]');
  });
});
