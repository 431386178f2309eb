/**
 * The error envelope every Anthropic endpoint answers with. The SDK maps `status`
 * to an error class and reads `error.details.error_code` for the typed subclasses
 * (e.g. CannotRemoveLastMemberError), so both must match the real API.
 */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

export const ERROR_TYPE_BY_STATUS: Readonly<Record<number, ApiErrorType>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export class ApiError extends Error {
  readonly status: number;
  readonly type: ApiErrorType;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    opts: { type?: ApiErrorType; details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = opts.type ?? ERROR_TYPE_BY_STATUS[status] ?? 'api_error';
    this.details = opts.details;
    this.headers = opts.headers ?? {};
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>): ApiError =>
  new ApiError(400, message, details ? { details } : {});

export const notFound = (message: string): ApiError => new ApiError(404, message);

export function errorBody(
  type: ApiErrorType,
  message: string,
  requestId: string,
  details?: Record<string, unknown>,
): Record<string, unknown> {
  const error: Record<string, unknown> = { type, message };
  if (details) error['details'] = details;
  return { type: 'error', error, request_id: requestId };
}
