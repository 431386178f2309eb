import type { Target } from '../../domain/target.js';
import type { SlackDirectory } from '../../review/deps.js';
import type { ReviewTarget } from './parse.js';

/** A slash-command target as correlation understands it; a Slack user becomes their email. */
export async function toCorrelationTarget(t: ReviewTarget, slack: SlackDirectory): Promise<Target | { error: string }> {
  switch (t.kind) {
    case 'all':
      return { kind: 'all' };
    case 'email':
      return { kind: 'email', email: t.email };
    case 'key':
      return { kind: 'key', keyId: t.apiKeyId };
    case 'workspace':
      return { kind: 'workspace', workspaceId: t.workspaceId };
    case 'org':
      return { kind: 'org', org: t.org };
    case 'user': {
      const p = await slack.profile(t.slackUserId);
      if (!p?.email)
        return {
          error: `<@${t.slackUserId}> has no email address Steward can see, so their Claude access can't be found.`,
        };
      return { kind: 'email', email: p.email.toLowerCase() };
    }
  }
}
