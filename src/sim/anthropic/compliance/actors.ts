/**
 * Builders for the `actor` union of the API reference
 * (https://platform.claude.com/docs/en/api/compliance/activities/list lists 11 actor types; the
 * guide's table shows 6). Anything else (a type the docs do not list yet) can be passed as a
 * plain object: the feed passes it through.
 */
export type Actor = Record<string, unknown> & { type: string };

const UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

export const actors = {
  user(user_id: string, email_address: string, extra: { ip_address?: string; user_agent?: string } = {}): Actor {
    return {
      type: 'user_actor',
      email_address,
      user_id,
      ip_address: extra.ip_address ?? '192.0.2.34',
      user_agent: extra.user_agent ?? UA,
    };
  },
  api(api_key_id: string, extra: { ip_address?: string; user_agent?: string } = {}): Actor {
    return {
      type: 'api_actor',
      api_key_id,
      ip_address: extra.ip_address ?? '198.51.100.7',
      user_agent: extra.user_agent ?? 'curl/8.5.0',
    };
  },
  adminApiKey(admin_api_key_id: string, extra: { ip_address?: string; user_agent?: string } = {}): Actor {
    return {
      type: 'admin_api_key_actor',
      admin_api_key_id,
      ip_address: extra.ip_address ?? '198.51.100.8',
      user_agent: extra.user_agent ?? 'Anthropic/JS',
    };
  },
  unauthenticatedUser(unauthenticated_email_address: string): Actor {
    return {
      type: 'unauthenticated_user_actor',
      unauthenticated_email_address,
      ip_address: '203.0.113.9',
      user_agent: UA,
    };
  },
  anthropic(): Actor {
    return { type: 'anthropic_actor', email_address: null };
  },
  scim(directory_id: string, workos_event_id: string, idp_connection_type: string | null = 'OktaSCIMV2'): Actor {
    return { type: 'scim_directory_sync_actor', workos_event_id, directory_id, idp_connection_type };
  },
  /** `service_account_actor {service_account_id, ip_address, user_agent}` (a WIF service account's token). */
  serviceAccount(service_account_id: string, extra: { ip_address?: string; user_agent?: string } = {}): Actor {
    return {
      type: 'service_account_actor',
      service_account_id,
      ip_address: extra.ip_address ?? '198.51.100.9',
      user_agent: extra.user_agent ?? 'Anthropic/JS',
    };
  },
  /**
   * `federated_identity_actor`: "A federated external workload authenticated via a verified OIDC
   * token … the verified issuer, subject, and audience claims from the presented JWT."
   */
  federatedIdentity(
    issuer: string,
    subject: string,
    audience: string[] = ['https://api.anthropic.com'],
    extra: { ip_address?: string | null; user_agent?: string | null } = {},
  ): Actor {
    return {
      type: 'federated_identity_actor',
      issuer,
      subject,
      audience,
      ip_address: extra.ip_address === undefined ? '198.51.100.10' : extra.ip_address,
      user_agent: extra.user_agent === undefined ? 'github-actions' : extra.user_agent,
    };
  },
  /** `system_actor {service?}`: "Automated background processing performed by Anthropic systems". */
  system(service: string | null = null): Actor {
    return { type: 'system_actor', service };
  },
};

/** A plausible mix for generated feeds: mostly chat use, some sign-ins and admin events. */
export const DEFAULT_ACTIVITY_TYPES: readonly string[] = [
  'claude_chat_created',
  'claude_chat_created',
  'claude_chat_viewed',
  'claude_chat_viewed',
  'claude_chat_viewed',
  'claude_chat_updated',
  'claude_file_uploaded',
  'claude_file_viewed',
  'claude_project_viewed',
  'claude_project_created',
  'sso_login_succeeded',
  'user_logged_out',
  'claude_artifact_viewed',
  'claude_skill_enabled',
];

/** Type-specific fields, shaped like the documented examples. */
export function typeFields(type: string, n: string): Record<string, unknown> {
  if (type.startsWith('claude_chat_')) return { claude_chat_id: `claude_chat_${n}`, claude_project_id: null };
  if (type.startsWith('claude_file_'))
    return { claude_file_id: `claude_file_${n}`, filename: `report-${n.slice(-6)}.pdf` };
  if (type.startsWith('claude_project_')) return { claude_project_id: `claude_proj_${n}` };
  if (type.startsWith('claude_artifact_')) return { claude_artifact_id: `claude_artifact_${n}` };
  if (type.startsWith('claude_skill_')) return { skill_id: `skill_${n}` };
  return {};
}
