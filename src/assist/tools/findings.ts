import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../../db/client.js';
import type { Evidence } from '../../domain/evidence.js';
import { FINDING_KINDS } from '../../domain/findings.js';
import { factsOf } from '../facts.js';
import { defineTool, MAX_ROWS } from './tool.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day, YYYY-MM-DD');

const input = z.strictObject({
  kind: z.enum(FINDING_KINDS).optional(),
  workspace: z.string().min(1).max(100).optional(),
  subject_id: z.string().min(1).max(160).optional(),
  inactive_since: day.optional(),
  status: z.enum(['open', 'resolved']).default('open'),
  limit: z.number().int().min(1).max(MAX_ROWS).default(10),
});

/** Findings with filters: what `/steward findings` lists, narrowed the way an admin asks. */
export const findFindings = defineTool({
  name: 'find_findings',
  description:
    'List Steward findings (dormant seats and keys, unowned keys, stale admins, stale invites, and alerts). ' +
    'Filters: kind, workspace (id or name), subject_id, inactive_since (no activity on or after that day), status. ' +
    'Each row has the finding id to cite.',
  inputSchema: {
    type: 'object',
    properties: {
      kind: { type: 'string', enum: [...FINDING_KINDS] },
      workspace: { type: 'string', description: 'Workspace id (wrkspc_…) or name' },
      subject_id: { type: 'string', description: 'A user, key, service account or invite id' },
      inactive_since: { type: 'string', description: 'YYYY-MM-DD: last activity before this day, or never' },
      status: { type: 'string', enum: ['open', 'resolved'] },
      limit: { type: 'integer', minimum: 1, maximum: MAX_ROWS },
    },
    additionalProperties: false,
  },
  input,
  async run(db, q) {
    const rows = await queryRows<{ id: string; kind: string; evidence: unknown; first_detected_at: string | Date }>(
      db,
      sql`select id::text as id, kind, evidence, first_detected_at from findings
          where status = ${q.status}
            ${q.kind ? sql`and kind = ${q.kind}` : sql``}
            ${q.subject_id ? sql`and subject_id = ${q.subject_id}` : sql``}
            ${
              q.workspace
                ? sql`and (evidence->'access'->>'workspaceId' = ${q.workspace}
                       or lower(evidence->'access'->>'workspaceName') = lower(${q.workspace}))`
                : sql``
            }
            ${q.inactive_since ? sql`and coalesce(evidence->'lastActivity'->>'at', '') < ${q.inactive_since}` : sql``}
          order by first_detected_at desc, id
          limit ${q.limit}`,
    );
    const findings = rows.map((r) => {
      const e = (typeof r.evidence === 'string' ? JSON.parse(r.evidence) : r.evidence) as Evidence;
      const f = factsOf(e);
      return {
        finding_id: r.id,
        kind: f.finding,
        subject: f.subject,
        workspace: f.access.workspace,
        status: f.access.status,
        owner: f.owner,
        created: f.created,
        last_activity: f.last_activity,
        idle_days: f.idle_days,
        first_detected: new Date(r.first_detected_at).toISOString().slice(0, 10),
      };
    });
    return {
      result: { count: findings.length, findings },
      rows: findings.map((f) => ({ kind: 'finding' as const, id: f.finding_id })),
    };
  },
});
