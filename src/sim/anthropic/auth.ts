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
  if (value === config.adminKey) return { scheme, credential: 'admin', status: config.adminKeyStatus };
  if (value === config.complianceKey)
    return { scheme, credential: 'compliance', keyId: config.complianceKeyId, status: config.complianceKeyStatus };
  const admin = config.extraAdminKeys.find((k) => k.key === value);
  if (admin) return { scheme, credential: 'admin', keyId: admin.id, status: 'active' };
  const extra = config.extraComplianceKeys.find((k) => k.key === value);
  if (extra) return { scheme, credential: 'compliance', keyId: extra.id, status: extra.status };
  if (value === config.oauthToken) return { scheme, credential: 'oauth' };
  if (config.analyticsKey !== undefined && value === config.analyticsKey)
    return { scheme, credential: 'analytics', status: 'active' };
  // A key of a kind the Compliance API takes, but not one this organisation has.
  return { scheme, credential: 'unknown', complianceKind: /^sk-ant-(api01|admin01)-/.test(value) };
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The 401 for a key that does not authenticate, per
 * https://platform.claude.com/docs/en/manage-claude/compliance-errors#401-unauthorized.
 */
function keyStatusError(auth: AuthInfo): ApiError | undefined {
  if (auth.status === 'deactivated') return new ApiError(401, 'API key has been deactivated.');
  if (auth.status === 'expired') return new ApiError(401, 'API key has expired.');
  return undefined;
}

/** True when the request may reach the Compliance API's rate limiter (it authenticated). */
export function authenticatesForCompliance(auth: AuthInfo): boolean {
  return (auth.credential === 'admin' || auth.credential === 'compliance') && auth.status === 'active';
}

/** Throws the response the real API gives a credential that may not use this realm. */
export function authorize(realm: Realm, auth: AuthInfo, config: SimConfig): void {
  const c = auth.credential;
  switch (realm) {
    case 'admin':
      if (c === 'admin') {
        const bad = keyStatusError(auth);
        if (bad) throw bad;
        return;
      }
      if (c === 'oauth') return;
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
      return authorizeCompliance(auth, config);
    case 'usage':
      if (c === 'admin' || c === 'oauth' || c === 'analytics') return;
      throw new ApiError(401, c === 'none' ? 'x-api-key header is required' : 'invalid x-api-key');
    case 'analytics':
      // The analytics endpoints answer 404 to a missing, invalid or unscoped key.
      if (c === 'analytics' || (c === 'admin' && config.adminKeyHasAnalyticsScope)) return;
      throw new ApiError(404, 'Not found.');
  }
}

/**
 * The authentication half of the Compliance API's checks (scope comes after the rate limiter).
 * https://platform.claude.com/docs/en/manage-claude/compliance-errors: no key, or a key that is
 * not a Compliance Access Key (`sk-ant-api01-`) or Admin API key (`sk-ant-admin01-`), is
 * 404 `Not found` ("the same as for a path that does not exist"); a key of those kinds that
 * does not authenticate is 401 `API key is invalid.` / `… has been deactivated.` / `… has expired.`
 */
export function authenticateCompliance(auth: AuthInfo): void {
  const c = auth.credential;
  if (c === 'admin' || c === 'compliance') {
    const bad = keyStatusError(auth);
    if (bad) throw bad;
    return;
  }
  if (c === 'unknown' && auth.complianceKind) throw new ApiError(401, 'API key is invalid.');
  throw new ApiError(404, 'Not found');
}

function authorizeCompliance(auth: AuthInfo, config: SimConfig): void {
  authenticateCompliance(auth);
  if (!config.complianceEnabled) {
    // "Every endpoint returns this response until the API is enabled, and again if an administrator turns the API off."
    throw new ApiError(400, 'Compliance API is not enabled for this organization');
  }
  if (auth.credential === 'admin' && !config.adminKeyHasComplianceScope) {
    throw new ApiError(
      403,
      "Missing required scopes. Got: ['api:admin'] Needed one of: ['read:compliance_activities', 'read:org_audit']",
    );
  }
}
