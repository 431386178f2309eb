import { orgSubjects } from '../db/subject-org.js';
import type { Executor } from '../db/types.js';
import { StewardError } from '../domain/errors.js';
import { subjectKey, type Subject } from '../domain/findings.js';
import type { Target } from '../domain/target.js';

/**
 * `org:<id or name>` (issue 17): the subjects of that organisation, as a test; null for any other
 * target. An organisation nobody has identified is a bad target, named.
 */
export async function orgScope(ex: Executor, target: Target): Promise<((s: Subject) => boolean) | null> {
  if (target.kind !== 'org') return null;
  const org = await orgSubjects(ex, target.org);
  if (!org)
    throw new StewardError('bad_target', `No organisation has the id or name "${target.org}".`, { retry: false });
  return (s) => org.subjects.has(subjectKey(s));
}
