import { parseCampaignArgs, parseCampaignExport, type CampaignCommand } from './campaign-parse.js';

/**
 * `/steward <subcommand> [args]` → a typed command, or a usage error. Pure: no Slack,
 * no database. Slack sends user mentions as `<@U123|name>` and emails as
 * `<mailto:a@b.c|a@b.c>`; both are unwrapped here.
 */
export type ReviewTarget =
  | { kind: 'user'; slackUserId: string }
  | { kind: 'email'; email: string }
  | { kind: 'key'; apiKeyId: string }
  | { kind: 'workspace'; workspaceId: string }
  /** Everything of one organisation (issue 17), by its id or its name. */
  | { kind: 'org'; org: string }
  | { kind: 'all' };

export type StewardCommand =
  | { sub: 'help' }
  | { sub: 'review'; target: ReviewTarget }
  | { sub: 'status' }
  | { sub: 'findings'; page: number }
  | { sub: 'export'; days: number }
  | { sub: 'ask'; question: string }
  | { sub: 'sync'; action: 'accept' }
  | { sub: 'campaign'; campaign: CampaignCommand };

export type ParseResult = { ok: true; command: StewardCommand } | { ok: false; error: string };

export const EXPORT_DEFAULT_DAYS = 30;
/** `/steward ask`: questions are short; a longer one is refused rather than cut. */
export const ASK_MAX_CHARS = 500;
export const EXPORT_MAX_DAYS = 3650;

/**
 * The words of a command. A double-quoted part (straight or curly quotes, as Slack clients
 * may send) keeps its spaces and loses its quotes: `org:"Acme Production"` is one word.
 */
export function commandWords(text: string): string[] {
  return [...text.trim().matchAll(/(?:[^\s"“”]+|"[^"]*"|“[^”]*”)+/g)]
    .map((m) => m[0].replace(/["“”]/g, ''))
    .filter(Boolean);
}

export function parseStewardCommand(text: string): ParseResult {
  const [sub, ...args] = commandWords(text);
  switch ((sub ?? 'help').toLowerCase()) {
    case 'help':
      return { ok: true, command: { sub: 'help' } };
    case 'status':
      return args.length === 0 ? { ok: true, command: { sub: 'status' } } : fail('`status` takes no arguments.');
    case 'findings': {
      if (args.length === 0) return { ok: true, command: { sub: 'findings', page: 1 } };
      const page = positiveInt(args[0]);
      if (args.length > 1 || page === undefined)
        return fail('`findings` takes an optional page number, e.g. `/steward findings 2`.');
      return { ok: true, command: { sub: 'findings', page } };
    }
    case 'campaign': {
      const c = parseCampaignArgs(args);
      return c.ok ? { ok: true, command: { sub: 'campaign', campaign: c.command } } : c;
    }
    case 'export': {
      if (args[0]?.toLowerCase() === 'campaign') {
        const c = parseCampaignExport(args.slice(1));
        return c.ok ? { ok: true, command: { sub: 'campaign', campaign: c.command } } : c;
      }
      if (args.length === 0) return { ok: true, command: { sub: 'export', days: EXPORT_DEFAULT_DAYS } };
      const days = positiveInt(args[0]);
      if (args.length > 1 || days === undefined || days > EXPORT_MAX_DAYS) {
        return fail(`\`export\` takes an optional number of days (1–${EXPORT_MAX_DAYS}), e.g. \`/steward export 90\`.`);
      }
      return { ok: true, command: { sub: 'export', days } };
    }
    case 'ask': {
      // The question is the rest of the text as typed (spacing kept), unwrapping Slack's
      // mention and link markup into the ids and addresses it stands for.
      const question = unwrapSlackMarkup(text.trim().slice(sub!.length)).trim();
      if (question.length < 3)
        return fail('`ask` takes a question, e.g. `/steward ask which keys in Data have not been used since March?`');
      if (question.length > ASK_MAX_CHARS) return fail(`Questions are limited to ${ASK_MAX_CHARS} characters.`);
      return { ok: true, command: { sub: 'ask', question } };
    }
    case 'sync':
      return args.length === 1 && args[0]!.toLowerCase() === 'accept'
        ? { ok: true, command: { sub: 'sync', action: 'accept' } }
        : fail('`sync` takes `accept`: `/steward sync accept` applies the removals the mass-change brake holds back.');
    case 'review': {
      // `org:` takes the rest as the organisation's name, spaces and all (`org:Acme Production`).
      if (/^org:/i.test(args[0] ?? '')) {
        const org = [args[0]!.slice('org:'.length), ...args.slice(1)].join(' ').trim();
        return org && org.length <= 200
          ? { ok: true, command: { sub: 'review', target: { kind: 'org', org } } }
          : fail('`review org:` takes an organisation id or name, e.g. `/steward review org:Acme Production`.');
      }
      if (args.length !== 1)
        return fail(
          '`review` takes exactly one target: `@user`, an email, a key id, a workspace id, `org:<id or name>`, or `all`.',
        );
      const target = parseTarget(args[0]!);
      return target
        ? { ok: true, command: { sub: 'review', target } }
        : fail(`\`${clip(args[0]!)}\` is not a user, email, key id, workspace id, \`org:<id or name>\` or \`all\`.`);
    }
    default:
      return fail(`Unknown subcommand \`${clip(sub ?? '')}\`.`);
  }
}

export function parseTarget(arg: string): ReviewTarget | undefined {
  const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(arg);
  if (mention) return { kind: 'user', slackUserId: mention[1]! };
  const mailto = /^<mailto:([^|>]+)(?:\|[^>]*)?>$/.exec(arg);
  const email = mailto ? mailto[1]! : arg;
  if (/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(email)) return { kind: 'email', email: email.toLowerCase() };
  if (arg.toLowerCase() === 'all') return { kind: 'all' };
  if (/^apikey_[A-Za-z0-9]+$/.test(arg)) return { kind: 'key', apiKeyId: arg };
  if (/^wrkspc_[A-Za-z0-9]+$/.test(arg)) return { kind: 'workspace', workspaceId: arg };
  return undefined;
}

function unwrapSlackMarkup(s: string): string {
  return s
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/<mailto:([^|>]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/<(https?:[^|>]+)(?:\|[^>]*)?>/g, '$1');
}

function positiveInt(s: string | undefined): number | undefined {
  if (s === undefined || !/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 ? n : undefined;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function fail(error: string): ParseResult {
  return { ok: false, error };
}
