import { z } from 'zod';
import { StewardError } from '../domain/errors.js';
import { adminKeyList, apiBaseUrl, auditKeys, bool, opt, slackId } from './env-fields.js';

/**
 * The only reader of process.env. Every variable in docs/DESIGN.md "Interfaces" is here,
 * plus the two logging knobs. Values are validated but never echoed back: messages
 * name the variable and the rule, not what was supplied.
 */

export const envSchema = z.object({
  SLACK_BOT_TOKEN: opt(z.string().regex(/^xoxb-[A-Za-z0-9-]+$/, 'must be a Slack bot token (xoxb-…)')),
  SLACK_SIGNING_SECRET: opt(
    z.string().regex(/^[A-Za-z0-9]{16,}$/, 'must be the app signing secret (at least 16 letters or digits)'),
  ),
  SLACK_APP_TOKEN: opt(z.string().regex(/^xapp-[A-Za-z0-9-]+$/, 'must be a Slack app-level token (xapp-…)')),
  SLACK_API_URL: opt(apiBaseUrl),
  ANTHROPIC_ADMIN_KEY: opt(z.string().regex(/^\S{8,}$/, 'must be an Admin API key (sk-ant-admin…)')),
  /** Several organisations (issue 17): one Admin API key per organisation, comma-separated. */
  ANTHROPIC_ADMIN_KEYS: opt(adminKeyList),
  ANTHROPIC_COMPLIANCE_KEY: opt(z.string().regex(/^\S{8,}$/, 'must be a Compliance API key')),
  ANTHROPIC_BASE_URL: opt(apiBaseUrl),
  DATABASE_URL: opt(
    z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// connection URL'),
  ),
  STEWARD_DATA_DIR: opt(z.string()),
  PORT: opt(
    z
      .string()
      .regex(/^\d+$/, 'must be a port number')
      .transform(Number)
      .refine((n) => n >= 0 && n <= 65535, 'must be between 0 and 65535'),
  ),
  STEWARD_SECURITY_CHANNEL: opt(slackId('CGD', 'channel')),
  STEWARD_ADMINS: opt(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(slackId('UW', 'user'), { error: 'must be a comma-separated list of Slack user ids' })),
  ),
  STEWARD_POLICY: opt(z.string()),
  STEWARD_DRY_RUN: opt(bool),
  STEWARD_AUDIT_KEY: opt(auditKeys),
  STEWARD_LOG_LEVEL: opt(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  STEWARD_LOG_FORMAT: opt(z.enum(['json', 'pretty'])),
  /** Opt-in Claude assist (issue 18): `claude` turns it on, `off` (or nothing) leaves it off. */
  STEWARD_ASSIST: opt(z.enum(['claude', 'off'], { error: 'must be claude or off' })),
  /** An ordinary Claude API key for assist, never the Admin or Compliance key. */
  ANTHROPIC_API_KEY: opt(z.string().regex(/^\S{8,}$/, 'must be a Claude API key (sk-ant-api…)')),
});

export type RawEnv = z.infer<typeof envSchema>;

/** Which parts of the configuration a command needs; the service needs all of them. */
export type Need = 'slack' | 'anthropic' | 'security';

export interface Config {
  slack: {
    botToken: string;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string | undefined;
    mode: 'http' | 'socket';
  };
  anthropic: {
    /** The first organisation's Admin API key (the only one unless ANTHROPIC_ADMIN_KEYS lists several). */
    adminKey: string;
    /** Every organisation's Admin API key, in the order given; each names its organisation through /v1/organizations/me. */
    adminKeys: string[];
    /** ANTHROPIC_COMPLIANCE_KEY, or else the (first) Admin key. */
    complianceKey: string;
    /**
     * `parent`: ANTHROPIC_COMPLIANCE_KEY is set and reads every organisation's activity (a
     * Compliance Access Key of the parent); `per-organisation`: each organisation's feed is read
     * with its own Admin key (which carries `read:compliance_activities`).
     */
    complianceScope: 'parent' | 'per-organisation';
    baseUrl: string;
  };
  database: { url: string | undefined; dataDir: string };
  port: number;
  securityChannel: string;
  admins: string[];
  policyPath: string | undefined;
  dryRun: boolean;
  /** MAC keys of the audit log, newest (signing) first; empty → rows chained but not keyed. */
  auditKeys: { id: string; secret: Buffer; text: string }[];
  log: { level: string; format: 'json' | 'pretty' };
  /** Claude assist, when `STEWARD_ASSIST=claude` and `ANTHROPIC_API_KEY` are set; otherwise null (off). */
  assist: { provider: 'claude'; apiKey: string } | null;
}

export interface ConfigProblem {
  variable: string;
  message: string;
}

export class ConfigError extends StewardError {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super('config_invalid', formatProblems(problems), { retry: false });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Said after the list when a required setting is missing: Steward can be tried without any. */
export const SANDBOX_HINT = 'To try Steward without a Claude organisation or a Slack app, run: npm run sandbox';

export function formatProblems(problems: ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.variable}: ${p.message}`);
  const missing = problems.some((p) => p.message.startsWith('is required'));
  return `Steward cannot start: ${problems.length} configuration problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}${missing ? `\n${SANDBOX_HINT}` : ''}`;
}

const REQUIRED: Record<Need, Array<[keyof RawEnv, string]>> = {
  slack: [['SLACK_BOT_TOKEN', 'is required (the Slack bot token, xoxb-…)']],
  anthropic: [['ANTHROPIC_ADMIN_KEY', 'is required (an Anthropic Admin API key)']],
  security: [['STEWARD_SECURITY_CHANNEL', 'is required (the Slack channel id for alerts, e.g. C0123ABCD)']],
};

export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

/**
 * Parses and checks the environment. `need` says which credentials the caller cannot
 * do without (the service needs everything; `steward migrate` needs none). All
 * problems are collected and reported together.
 */
export function loadConfig(env: NodeJS.ProcessEnv, need: readonly Need[] = ['slack', 'anthropic', 'security']): Config {
  const parsed = envSchema.safeParse(env);
  const problems: ConfigProblem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const item = typeof issue.path[1] === 'number' ? `entry ${issue.path[1] + 1} ` : '';
      problems.push({ variable: String(issue.path[0] ?? '(environment)'), message: `${item}${issue.message}` });
    }
  }
  const raw: Partial<RawEnv> = parsed.success ? parsed.data : {};
  const failed = new Set(problems.map((p) => p.variable));
  for (const n of need) {
    for (const [name, message] of REQUIRED[n]) {
      if (
        name === 'ANTHROPIC_ADMIN_KEY' &&
        (raw.ANTHROPIC_ADMIN_KEYS !== undefined || failed.has('ANTHROPIC_ADMIN_KEYS'))
      )
        continue;
      if (raw[name] === undefined && !failed.has(name) && isBlank(env[name]))
        problems.push({ variable: name, message });
    }
  }
  if (
    need.includes('slack') &&
    raw.SLACK_APP_TOKEN === undefined &&
    isBlank(env.SLACK_SIGNING_SECRET) &&
    !failed.has('SLACK_SIGNING_SECRET')
  ) {
    problems.push({
      variable: 'SLACK_SIGNING_SECRET',
      message: 'is required in HTTP mode (set SLACK_APP_TOKEN instead to use Socket Mode)',
    });
  }
  problems.push(...adminKeyProblems(env, failed));
  problems.push(...assistProblems(raw, env, failed));
  if (problems.length > 0) throw new ConfigError(problems);

  const r = raw as RawEnv;
  const adminKeys = r.ANTHROPIC_ADMIN_KEYS ?? (r.ANTHROPIC_ADMIN_KEY ? [r.ANTHROPIC_ADMIN_KEY] : []);
  const adminKey = adminKeys[0] ?? '';
  return {
    slack: {
      botToken: r.SLACK_BOT_TOKEN ?? '',
      signingSecret: r.SLACK_SIGNING_SECRET,
      appToken: r.SLACK_APP_TOKEN,
      apiUrl: r.SLACK_API_URL,
      mode: r.SLACK_APP_TOKEN ? 'socket' : 'http',
    },
    anthropic: {
      adminKey,
      adminKeys,
      complianceKey: r.ANTHROPIC_COMPLIANCE_KEY ?? adminKey,
      complianceScope: r.ANTHROPIC_COMPLIANCE_KEY ? 'parent' : 'per-organisation',
      baseUrl: (r.ANTHROPIC_BASE_URL ?? DEFAULT_ANTHROPIC_BASE_URL).replace(/\/+$/, ''),
    },
    database: { url: r.DATABASE_URL, dataDir: r.STEWARD_DATA_DIR ?? './data' },
    port: r.PORT ?? 3000,
    securityChannel: r.STEWARD_SECURITY_CHANNEL ?? '',
    admins: r.STEWARD_ADMINS ?? [],
    policyPath: r.STEWARD_POLICY,
    dryRun: r.STEWARD_DRY_RUN ?? false,
    auditKeys: r.STEWARD_AUDIT_KEY ?? [],
    log: { level: r.STEWARD_LOG_LEVEL ?? 'info', format: r.STEWARD_LOG_FORMAT ?? 'json' },
    assist:
      r.STEWARD_ASSIST === 'claude' && r.ANTHROPIC_API_KEY ? { provider: 'claude', apiKey: r.ANTHROPIC_API_KEY } : null,
  };
}

/** ANTHROPIC_ADMIN_KEY (one organisation) and ANTHROPIC_ADMIN_KEYS (several) are two ways to say one thing. */
function adminKeyProblems(env: NodeJS.ProcessEnv, failed: Set<string>): ConfigProblem[] {
  if (isBlank(env.ANTHROPIC_ADMIN_KEY) || isBlank(env.ANTHROPIC_ADMIN_KEYS) || failed.has('ANTHROPIC_ADMIN_KEYS'))
    return [];
  return [
    {
      variable: 'ANTHROPIC_ADMIN_KEYS',
      message:
        "cannot be set together with ANTHROPIC_ADMIN_KEY (list every organisation's key in ANTHROPIC_ADMIN_KEYS alone)",
    },
  ];
}

/**
 * Assist needs its own ordinary API key: the Admin key can change the organisation and
 * the Compliance key reads everyone's activity, so neither may be sent with prompts.
 */
function assistProblems(raw: Partial<RawEnv>, env: NodeJS.ProcessEnv, failed: Set<string>): ConfigProblem[] {
  if (raw.STEWARD_ASSIST !== 'claude' || failed.has('ANTHROPIC_API_KEY')) return [];
  const key = raw.ANTHROPIC_API_KEY;
  if (key === undefined || isBlank(env.ANTHROPIC_API_KEY)) {
    return [
      {
        variable: 'ANTHROPIC_API_KEY',
        message: 'is required when STEWARD_ASSIST=claude (an ordinary Claude API key, not the Admin or Compliance key)',
      },
    ];
  }
  if (
    key === raw.ANTHROPIC_ADMIN_KEY ||
    key === raw.ANTHROPIC_COMPLIANCE_KEY ||
    raw.ANTHROPIC_ADMIN_KEYS?.includes(key)
  ) {
    return [
      {
        variable: 'ANTHROPIC_API_KEY',
        message: 'must be a separate ordinary API key, not the Admin or Compliance key',
      },
    ];
  }
  return [];
}

function isBlank(v: string | undefined): boolean {
  return v === undefined || v.trim() === '';
}

/** Every secret value in the configuration, so the logger can scrub them verbatim. */
export function secretValues(config: Config): string[] {
  return [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    ...config.anthropic.adminKeys,
    config.anthropic.adminKey,
    config.anthropic.complianceKey,
    config.assist?.apiKey,
    passwordOf(config.database.url),
    ...config.auditKeys.map((k) => k.text),
  ].filter((v): v is string => typeof v === 'string' && v.length >= 6);
}

function passwordOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
