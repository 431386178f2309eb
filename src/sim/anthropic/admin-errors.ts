import { ApiError, type ApiErrorType } from './errors.js';

/**
 * The Admin API's documented error codes that matter to Steward, with the meaning the SDK
 * (`@anthropic-ai/sdk` 1.16 `resources/organization/*.d.ts`, generated from the API reference)
 * gives each. The SDK turns `"<status> <error.details.error_code>"` into a typed error. The
 * messages are the SDK's descriptions: the API's own wording is not published.
 */
export interface DocumentedError {
  status: number;
  type: ApiErrorType;
  message: string;
}

export const ADMIN_ERRORS = {
  /** `APIKeyRequesterUnconfirmedError`: apiKeys.update, users.remove, serviceAccounts.archive (SDK 1.15). */
  api_key_requester_unconfirmed: {
    status: 403,
    type: 'permission_error',
    message:
      'The API could not confirm that this request came from your organization, so it refused a change to an API key. It is safe to send the same request again.',
  },
  /** `ConcurrentMembershipChangeError`: users.remove. */
  concurrent_membership_change: {
    status: 409,
    type: 'conflict_error',
    message: "Another change to the organization's members is in progress. Retry the request once it completes.",
  },
  /**
   * `ChangeOutcomeUnknownError`: declared on workspaces.update only. The 503's `error.type` is not
   * documented; `api_error` is what the API uses for its 5xx errors.
   */
  change_outcome_unknown: {
    status: 503,
    type: 'api_error',
    message:
      "Some of the request's changes may have been saved and others not. Send the same request again to finish it; changes already saved aren't repeated.",
  },
  /** `OrgAPIKeyLimitExceededError`: apiKeys.update. */
  org_api_key_limit_exceeded: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The organization has reached its limit of active API keys.',
  },
  /** `WorkspaceAPIKeyLimitExceededError`: apiKeys.update. */
  workspace_api_key_limit_exceeded: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The workspace has reached its limit of active API keys.',
  },
} as const satisfies Record<string, DocumentedError>;

export type AdminErrorCode = keyof typeof ADMIN_ERRORS;

export function isAdminErrorCode(kind: string): kind is AdminErrorCode {
  return Object.hasOwn(ADMIN_ERRORS, kind);
}

/** The error the API answers with, body `{"type":"error","error":{type, message, details:{error_code}}}`. */
export function adminError(code: AdminErrorCode): ApiError {
  const e: DocumentedError = ADMIN_ERRORS[code];
  return new ApiError(e.status, e.message, { type: e.type, details: { error_code: code } });
}
