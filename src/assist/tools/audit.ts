import { and, desc, eq, gte, like, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { auditLog } from '../../db/schema/index.js';
import { check } from '../facts.js';
import { defineTool, MAX_ROWS } from './tool.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day, YYYY-MM-DD');

const input = z.strictObject({
  subject_id: z.string().min(1).max(160).optional(),
  action: z
    .string()
    .regex(/^[a-z_.]{1,60}$/)
    .optional(),
  since: day.optional(),
  until: day.optional(),
  limit: z.number().int().min(1).max(MAX_ROWS).default(10),
});

/**
 * The audit log, newest first: who did what to which subject, and when. Only the row's
 * headline is returned; its details and evidence (which hold reasons people typed) are not.
 */
export const searchAudit = defineTool({
  name: 'search_audit',
  description:
    'Search the audit log (newest first): decisions, revocations, escalations, claims, refusals, deliveries. ' +
    'Filters: subject_id, action (or an action prefix such as "review."), since/until days. Each row has its seq to cite.',
  inputSchema: {
    type: 'object',
    properties: {
      subject_id: { type: 'string' },
      action: { type: 'string', description: 'e.g. review.decided, action.executed, or a prefix like review.' },
      since: { type: 'string', description: 'YYYY-MM-DD' },
      until: { type: 'string', description: 'YYYY-MM-DD (exclusive)' },
      limit: { type: 'integer', minimum: 1, maximum: MAX_ROWS },
    },
    additionalProperties: false,
  },
  input,
  async run(db, q) {
    const where: SQL[] = [];
    if (q.subject_id) where.push(eq(auditLog.subjectId, q.subject_id));
    if (q.action)
      where.push(q.action.endsWith('.') ? like(auditLog.action, `${q.action}%`) : eq(auditLog.action, q.action));
    if (q.since) where.push(gte(auditLog.at, new Date(`${q.since}T00:00:00Z`)));
    if (q.until) where.push(lt(auditLog.at, new Date(`${q.until}T00:00:00Z`)));
    const rows = await db
      .select()
      .from(auditLog)
      .where(where.length ? and(...where) : undefined)
      .orderBy(desc(auditLog.seq))
      .limit(q.limit);
    const entries = rows.map((r) => ({
      seq: r.seq,
      at: r.at.toISOString(),
      action: check.word(r.action),
      outcome: check.word(r.outcome),
      actor:
        r.actorType === 'system'
          ? { type: 'system', job: check.word(r.actorLabel) }
          : { type: 'slack_user', slack_id: check.id(r.actorSlackId), anthropic_id: check.id(r.actorAnthropicId) },
      subject: r.subjectId ? { type: check.word(r.subjectType), id: check.id(r.subjectId) } : null,
      review_item_id: check.id(r.reviewItemId),
    }));
    return {
      result: { count: entries.length, entries },
      rows: entries.map((e) => ({ kind: 'audit' as const, id: String(e.seq) })),
    };
  },
});
