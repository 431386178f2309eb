import { z } from 'zod';
import { FINDING_KINDS, SUBJECT_TYPES, type SubjectType } from '../../domain/findings.js';
import { isoDate } from './fields.js';

/** A subject is named by exactly one of these keys. */
const subjectKeys = {
  user: z.string().min(1).optional(),
  api_key: z.string().min(1).optional(),
  service_account: z.string().min(1).optional(),
  invite: z.string().min(1).optional(),
  workspace_member: z.string().min(1).optional(),
};

function oneSubject<T extends Partial<Record<SubjectType, string | undefined>>>(v: T, ctx: z.RefinementCtx): void {
  const named = SUBJECT_TYPES.filter((k) => v[k] !== undefined);
  if (named.length !== 1) {
    ctx.addIssue({ code: 'custom', message: `must name exactly one subject (one of: ${SUBJECT_TYPES.join(', ')})` });
  }
}

/**
 * The organisation an entry is about (issue 17), by the id `/v1/organizations/me` gives or
 * by its name (any case); without it, the entry applies in every organisation Steward governs.
 */
const org = z.string().trim().min(1, 'must be an organisation id or name').optional();

export const exemption = z
  .strictObject({
    ...subjectKeys,
    org,
    finding: z.enum(FINDING_KINDS).optional(),
    reason: z.string().trim().min(3, 'must say why (at least 3 characters)'),
    expires: isoDate,
  })
  .superRefine(oneSubject);

export const ownerOverride = z
  .strictObject({
    api_key: z.string().min(1).optional(),
    service_account: z.string().min(1).optional(),
    org,
    email: z.email('must be an email address').optional(),
    slack: z
      .string()
      .regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id (e.g. U0123ABCD)')
      .optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.api_key === undefined) === (v.service_account === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'must name exactly one of api_key or service_account' });
    }
    if (v.email === undefined && v.slack === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must give the owner as email, slack, or both' });
    }
  });
