import type { IncomingHttpHeaders } from 'node:http';
import type { SimConfig } from './config.js';
import type { AuthInfo, Realm } from './context.js';
import { ApiError } from './errors.js';

/**
 * Works out which credential a request carries, from `x-api-key` (curl, our own
 * clients) or `Authorization: Bearer` (how SDK 1.x sends `apiKey`, and how OAuth
 * tokens travel). The value itself is compared and forgotten, never stored.
 */
export function identify(headers: IncomingHttpHeaders, config: SimConfig): AuthInfo {
  const xKey = single(headers['x-api-key']);
  const bearer = /^Bearer\s+(.+)$/i.exec(single(headers['authorization']) ?? '')?.[1]?.trim();
  const value = xKey || bearer;
  const scheme = xKey ? 'x-api-key' : bearer ? 'bearer' : 'none';
  if (!value) return { scheme: 'none', credential: 'none' };
  const credential =
    value === config.adminKey
      ? 'admin'
      : value === config.complianceKey
        ? 'compliance'
        : value === config.oauthToken
          ? 'oauth'
          : config.analyticsKey !== undefined && value === config.analyticsKey
            ? 'analytics'
            : 'unknown';
  return { scheme, credential };
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Throws the response the real API gives a credential that may not use this realm. */
export function authorize(realm: Realm, auth: AuthInfo, config: SimConfig): void {
  const c = auth.credential;
  switch (realm) {
    case 'admin':
      if (c === 'admin' || c === 'oauth') return;
      throw new ApiError(401, c === 'none' ? 'x-api-key header is required' : 'invalid x-api-key');
    case 'oauth_admin':
      if (c === 'oauth') return;
      if (c === 'admin') {
        if (config.serviceAccountsAcceptAdminKey) return;
        throw new ApiError(
          403,
          'This endpoint requires an OAuth access token with the org:admin scope; Admin API keys are not accepted.',
        );
      }
      throw new ApiError(401, c === 'none' ? 'x-api-key header is required' : 'invalid x-api-key');
    case 'compliance':
      if (c === 'compliance') return;
      if (c === 'admin') {
        if (config.adminKeyHasComplianceScope) return;
        throw new ApiError(403, "Missing required scopes. Got: [] Needed: ['read:compliance_activities']");
      }
      throw new ApiError(401, 'The API key provided is invalid or has been revoked.');
    case 'usage':
      if (c === 'admin' || c === 'oauth' || c === 'analytics') return;
      throw new ApiError(401, c === 'none' ? 'x-api-key header is required' : 'invalid x-api-key');
    case 'analytics':
      // The analytics endpoints answer 404 to a missing, invalid or unscoped key.
      if (c === 'analytics' || (c === 'admin' && config.adminKeyHasAnalyticsScope)) return;
      throw new ApiError(404, 'Not found.');
  }
}
