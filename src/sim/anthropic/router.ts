import { analyticsUserRoutes } from './analytics/users-route.js';
import { claudeCodeRoutes } from './analytics/claude-code-route.js';
import { usageRoutes } from './analytics/usage-route.js';
import { complianceRoutes } from './compliance/route.js';
import type { Route } from './context.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { complianceSettingsRoutes } from './routes/compliance-settings.js';
import { inviteRoutes } from './routes/invites.js';
import { memberRoutes } from './routes/members.js';
import { organizationRoutes } from './routes/organization.js';
import { serviceAccountRoutes } from './routes/service-accounts.js';
import { userRoutes } from './routes/users.js';
import { workspaceRoutes } from './routes/workspaces.js';

export const ROUTES: readonly Route[] = [
  ...organizationRoutes,
  ...complianceSettingsRoutes,
  ...userRoutes,
  ...inviteRoutes,
  ...workspaceRoutes,
  ...memberRoutes,
  ...serviceAccountRoutes,
  ...apiKeyRoutes,
  ...usageRoutes,
  ...claudeCodeRoutes,
  ...analyticsUserRoutes,
  ...complianceRoutes,
];

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

/** `{param}` → one path segment. Literal segments win over params (`/me` before `/{user_id}`). */
export function compilePattern(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg) ?? /^:(\w+)$/.exec(seg);
      if (m) {
        names.push(m[1]!);
        return '([^/]+)';
      }
      return seg === '*' ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${source}/?$`), names };
}

const COMPILED: Compiled[] = ROUTES.map((route) => ({ route, ...compilePattern(route.pattern) }));

export interface Match {
  route: Route;
  params: Record<string, string>;
}

/** Returns the route, or `'method'` when the path exists under another method. */
export function matchRoute(method: string, path: string): Match | 'method' | undefined {
  let pathExists = false;
  for (const c of COMPILED) {
    const m = c.regex.exec(path);
    if (!m) continue;
    if (c.route.method !== method) {
      pathExists = true;
      continue;
    }
    const params: Record<string, string> = {};
    c.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
    return { route: c.route, params };
  }
  return pathExists ? 'method' : undefined;
}
