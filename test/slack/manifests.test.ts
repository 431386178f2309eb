import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** The bot scope each Web API call needs (Slack's method reference). */
const SCOPE_OF: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'conversations.open': ['im:write'],
  // The security channel may be public or private; a retried delivery reads a person's DM.
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'users.info': ['users:read', 'users:read.email'],
  'users.lookupByEmail': ['users:read.email'],
  'users.list': ['users:read', 'users:read.email'],
  'auth.test': [],
  'views.open': [],
  'views.publish': [],
  filesUploadV2: ['files:write'],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return p.includes(`${join('src', 'sim')}`) ? [] : sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** Every Web API method Steward's code calls (the simulators aside). */
function methodsUsed(): Set<string> {
  const used = new Set<string>();
  for (const file of sources('src')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/client\.(?:([a-z]+)\.([a-zA-Z]+)|(filesUploadV2))\(/g))
      used.add(m[3] ?? `${m[1]}.${m[2]}`);
    for (const m of text.matchAll(/client\.paginate\('([a-z]+\.[a-zA-Z]+)'/g)) used.add(m[1]!);
  }
  return used;
}

describe('Slack app manifests', () => {
  const needed = new Set(
    [...methodsUsed()].flatMap((m) => {
      const scopes = SCOPE_OF[m];
      if (!scopes) throw new Error(`the code calls ${m}: add its scope to this test's table and the manifests`);
      return scopes;
    }),
  );
  needed.add('commands'); // the /steward slash command

  for (const file of ['manifests/slack-app.http.yaml', 'manifests/slack-app.socket.yaml']) {
    it(`${file} asks for exactly the scopes the code uses`, () => {
      const m = parse(readFileSync(file, 'utf8')) as {
        oauth_config: { scopes: { bot: string[] } };
        settings: Record<string, unknown>;
      };
      expect([...m.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    });
  }

  it('wires events, interactivity and the command to /slack/events in HTTP mode, and none in Socket Mode', () => {
    const http = parse(readFileSync('manifests/slack-app.http.yaml', 'utf8'));
    expect(http.settings.socket_mode_enabled).toBe(false);
    expect(http.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/);
    expect(http.settings.interactivity.request_url).toMatch(/\/slack\/events$/);
    expect(http.features.slash_commands[0].url).toMatch(/\/slack\/events$/);
    expect(http.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    const socket = parse(readFileSync('manifests/slack-app.socket.yaml', 'utf8'));
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(socket.settings.event_subscriptions.request_url).toBeUndefined();
    expect(socket.features.slash_commands[0].command).toBe('/steward');
  });
});
