import type { OutboxAction } from '../../actions/outbox.js';
import { safe, slackDate } from './format.js';

const PAST: Record<string, string> = {
  deactivate_key: 'the key is deactivated',
  restore_key: 'the key is active again',
  remove_member: 'the member is removed from the organisation',
  lower_org_role: 'the organisation role is lowered',
  lower_workspace_role: 'the workspace role is lowered',
  delete_invite: 'the invite is deleted',
  archive_service_account: 'the service account is archived',
};

/** Keys the API turned off along with a removal or archive (re-read after it, see actions/side-effects.ts). */
function alsoTurnedOff(a: OutboxAction): string {
  const keys = (
    a.result as { keysTurnedOff?: Array<{ name: string; partialKeyHint: string | null; to: string }> } | null
  )?.keysTurnedOff;
  if (!keys?.length) return '';
  const named = keys.map((k) => `${safe(k.name)}${k.partialKeyHint ? ` (${safe(k.partialKeyHint)})` : ''}`);
  const verb = keys.every((k) => k.to === 'archived') ? 'archived' : 'turned off';
  return ` Anthropic also ${verb} ${keys.length === 1 ? 'an API key' : `${keys.length} API keys`} with it: ${named.join(', ')}.`;
}

export function actionLine(a: OutboxAction): string {
  switch (a.status) {
    case 'pending':
    case 'running':
      // A refused attempt shows at once (its error says whether it is safe to resend), not only from the second.
      return a.attempts > 1 || a.lastError
        ? `:hourglass_flowing_sand: Processing… (attempt ${a.attempts}; the Admin API had a problem: ${safe(a.lastError ?? 'unknown')})`
        : ':hourglass_flowing_sand: Processing…';
    case 'succeeded':
      return (a.result as { alreadyGone?: boolean } | null)?.alreadyGone
        ? `:heavy_check_mark: Done: it was already gone (${slackDate(a.completedAt)}).`
        : `:heavy_check_mark: Done: ${PAST[a.kind] ?? a.kind} (${slackDate(a.completedAt)}).${alsoTurnedOff(a)}`;
    case 'failed':
      return `:x: The Admin API did not accept it: ${safe(a.lastError ?? 'unknown error')}. The security team has been told and can retry.`;
    case 'dry_run':
      if ((a.result as { notifyOnly?: boolean } | null)?.notifyOnly)
        return `:memo: Not revoked, recorded: Steward's policy only notifies for now (${PAST[a.kind] ?? a.kind} was not done).`;
      return `:test_tube: Dry run: recorded, but the Admin API was not called (${PAST[a.kind] ?? a.kind} would follow).`;
    default:
      return `Action ${safe(a.status)}.`;
  }
}
