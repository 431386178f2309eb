import { eq } from 'drizzle-orm';
import { attestations } from '../../db/schema/index.js';
import { attest, disown, preflightAttest, type AttestInput } from './answer.js';
import type { AttestDeps } from './deps.js';
import { deliverAttestations } from './deliver.js';
import { discoverNewAccess } from './discover.js';

/** Attestation at creation (issue 20): find new access, ask its creator, record the answer. */
export function createAttestService(deps: AttestDeps) {
  return {
    /** Discover new access and send the requests (the hourly sync job runs this). */
    async run() {
      const { requested } = await discoverNewAccess(deps);
      const sent = await deliverAttestations(deps);
      return { requested, ...sent };
    },
    attest: (input: AttestInput) => attest(deps, input),
    disown: (input: { id: string; actorSlackId: string }) => disown(deps, input),
    preflight: (input: { id: string; actorSlackId: string }) => preflightAttest(deps, input),
    /** The stored request, for the modal (checked again on submit). */
    async get(id: string) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
      const [row] = await deps.db.select().from(attestations).where(eq(attestations.id, id));
      return row;
    },
    isAdmin: (slackId: string) => deps.admins.includes(slackId),
  };
}

export type AttestService = ReturnType<typeof createAttestService>;
