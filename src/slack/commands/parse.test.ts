import { describe, expect, it } from 'vitest';
import { commandWords, parseStewardCommand, parseTarget } from './parse.js';

describe('parseStewardCommand', () => {
  it('defaults to help on empty text', () => {
    expect(parseStewardCommand('   ')).toEqual({ ok: true, command: { sub: 'help' } });
  });

  it('parses status, findings with page, export with days', () => {
    expect(parseStewardCommand('status')).toEqual({ ok: true, command: { sub: 'status' } });
    expect(parseStewardCommand('findings')).toEqual({ ok: true, command: { sub: 'findings', page: 1 } });
    expect(parseStewardCommand('findings 3')).toEqual({ ok: true, command: { sub: 'findings', page: 3 } });
    expect(parseStewardCommand('export')).toEqual({ ok: true, command: { sub: 'export', days: 30 } });
    expect(parseStewardCommand('EXPORT 90')).toEqual({ ok: true, command: { sub: 'export', days: 90 } });
  });

  it('rejects bad arguments with a usage message', () => {
    for (const text of [
      'findings zero',
      'findings 0',
      'export -1',
      'export 99999',
      'status now',
      'review',
      'review a b',
    ]) {
      const r = parseStewardCommand(text);
      expect(r.ok, text).toBe(false);
    }
    const unknown = parseStewardCommand('frobnicate');
    expect(unknown).toEqual({ ok: false, error: 'Unknown subcommand `frobnicate`.' });
  });

  it('parses each kind of review target', () => {
    expect(parseTarget('<@U012ABC|alice>')).toEqual({ kind: 'user', slackUserId: 'U012ABC' });
    expect(parseTarget('<@W0ABC>')).toEqual({ kind: 'user', slackUserId: 'W0ABC' });
    expect(parseTarget('<mailto:Bob@Example.com|Bob@Example.com>')).toEqual({
      kind: 'email',
      email: 'bob@example.com',
    });
    expect(parseTarget('carol@example.org')).toEqual({ kind: 'email', email: 'carol@example.org' });
    expect(parseTarget('apikey_01AbC')).toEqual({ kind: 'key', apiKeyId: 'apikey_01AbC' });
    expect(parseTarget('wrkspc_01XyZ')).toEqual({ kind: 'workspace', workspaceId: 'wrkspc_01XyZ' });
    expect(parseTarget('ALL')).toEqual({ kind: 'all' });
    expect(parseTarget('nobody')).toBeUndefined();
    expect(parseTarget('<@notanid>')).toBeUndefined();
  });

  it('reviews an organisation by id or by name, with or without quotes (issue 17)', () => {
    const org = (o: string) => ({ ok: true, command: { sub: 'review', target: { kind: 'org', org: o } } });
    expect(parseStewardCommand('review org:11111111-1111-4111-8111-111111111111')).toEqual(
      org('11111111-1111-4111-8111-111111111111'),
    );
    expect(parseStewardCommand('review org:Acme  Production')).toEqual(org('Acme Production'));
    expect(parseStewardCommand('review org:"Acme Production"')).toEqual(org('Acme Production'));
    expect(parseStewardCommand('review “org:Acme Production”')).toEqual(org('Acme Production'));
    expect(parseStewardCommand('review org:')).toEqual({
      ok: false,
      error: '`review org:` takes an organisation id or name, e.g. `/steward review org:Acme Production`.',
    });
  });

  it('keeps a quoted campaign scope as one word', () => {
    expect(parseStewardCommand('campaign start org:"Acme Production" 14')).toEqual({
      ok: true,
      command: { sub: 'campaign', campaign: { action: 'start', scope: 'org:Acme Production', dueDays: 14 } },
    });
    expect(commandWords('  a "b c"d “e f” ')).toEqual(['a', 'b cd', 'e f']);
  });

  it('parses ask with the rest of the text as the question', () => {
    expect(parseStewardCommand('ask  which keys in <mailto:a@b.co|a@b.co> or <@U012ABC|ann> are idle?')).toEqual({
      ok: true,
      command: { sub: 'ask', question: 'which keys in a@b.co or U012ABC are idle?' },
    });
    expect(parseStewardCommand('ask').ok).toBe(false);
    expect(parseStewardCommand(`ask ${'x'.repeat(501)}`)).toEqual({
      ok: false,
      error: 'Questions are limited to 500 characters.',
    });
  });
});
