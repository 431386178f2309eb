import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { appendAudit } from '../audit/append.js';
import type { SessionLock } from '../db/client.js';
import { outboxActions } from '../db/schema/index.js';
import type { Db } from '../db/types.js';
import { isRetryable, isStewardError } from '../domain/errors.js';
import type { Logger } from '../log.js';
import type { AccessControl } from './execute.js';
import { backoffMs } from './backoff.js';
import { executeAction, GONE_IS_DONE } from './execute.js';
import { claimNext, releaseHeld, type OutboxAction } from './outbox.js';
import type { Clock } from '../domain/clock.js';

export interface ActionNotifier {
  /** The action reached a final state (succeeded, failed, dry_run): update the review's message, alert on failure. */
  actionFinished(action: OutboxAction): Promise<void>;
}

export interface OutboxWorkerDeps {
  db: Db;
  access: AccessControl;
  logger: Logger;
  notifier?: ActionNotifier;
  /**
   * Liveness: the worker holds a session lock named after itself while it runs, so a
   * row claimed by a worker whose process died (its lock gone with its connection) is
   * taken over at once instead of when the lease runs out.
   */
  sessionLock?: (key: string, opts?: { wait?: boolean }) => Promise<SessionLock | null>;
  dryRun: boolean;
  policyVersion?: string;
  instanceId?: string;
  now: Clock;
  /** How long a claimed row belongs to this worker before another may take it over. */
  leaseMs?: number;
  maxAttempts?: number;
  backoff?: { baseMs: number; capMs: number };
  pollMs?: number;
  concurrency?: number;
}

export interface OutboxWorker {
  /** Claims and runs ready actions until none is left; returns how many ran. */
  drain(): Promise<number>;
  /** Runs continuously until stop(). */
  start(): void;
  /** Look now rather than at the next poll (an action was just enqueued). */
  wake(): void;
  /**
   * Stops claiming and waits up to `graceMs` for actions in flight; any still running
   * then are handed back (pending again) so another replica or the next start runs
   * them — their idempotency key makes that safe even if the call did land.
   */
  stop(opts?: { graceMs?: number }): Promise<void>;
}

const DEFAULTS = {
  leaseMs: 5 * 60_000,
  maxAttempts: 6,
  backoff: { baseMs: 2_000, capMs: 10 * 60_000 },
  pollMs: 2_000,
  concurrency: 4,
};

/**
 * The revocation outbox worker. Rows are claimed with FOR UPDATE SKIP LOCKED, so any
 * number of workers in any number of replicas share the queue without running a row
 * twice; a claim is a lease, so a row whose worker died is taken over when it expires.
 * The idempotency key travels with every call, so a takeover after an unrecorded
 * success does not apply the change twice.
 */
export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const cfg = { ...DEFAULTS, ...stripUndefined(deps) };
  const clock = deps.now;
  const me = deps.instanceId ?? `worker-${randomUUID().slice(0, 8)}`;
  const log = deps.logger.child({ component: 'outbox', instance: me });
  let running = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let wakeUp: (() => void) | undefined;
  const inFlight = new Set<Promise<unknown>>();
  let liveness: SessionLock | null = null;
  const livenessKey = (instance: string) => `outbox-worker:${instance}`;

  async function ensureLiveness() {
    if (!liveness && deps.sessionLock) liveness = await deps.sessionLock(livenessKey(me));
  }

  const claimOne = () => claimNext(deps.db, me, clock(), cfg.leaseMs);

  async function finish(
    action: OutboxAction,
    patch: Partial<OutboxAction>,
    audit: { outcome: string; details: Record<string, unknown> },
  ) {
    const done = await deps.db.transaction(async (tx) => {
      const [updated] = await tx
        .update(outboxActions)
        .set({ ...patch, lockedBy: null, lockedUntil: null })
        .where(
          sql`${outboxActions.id} = ${action.id} and ${outboxActions.lockedBy} = ${me} and ${outboxActions.status} = 'running'`,
        )
        .returning();
      if (!updated) return undefined; // our lease was taken over; the other worker records the outcome
      await appendAudit(tx, {
        actor: { type: 'system', job: 'outbox' },
        action: 'action.executed',
        subject: { type: action.targetType, id: action.targetId },
        reviewItemId: action.reviewItemId,
        outcome: audit.outcome,
        details: {
          kind: action.kind,
          attempt: action.attempts,
          idempotencyKey: action.idempotencyKey,
          ...audit.details,
        },
        policyVersion: deps.policyVersion ?? null,
        at: clock(),
      });
      return updated;
    });
    return done;
  }

  async function runOne(action: OutboxAction): Promise<void> {
    const alog = log.child({
      actionId: action.id,
      kind: action.kind,
      attempt: action.attempts,
      reviewItemId: action.reviewItemId,
    });
    if (deps.dryRun) {
      const done = await finish(
        action,
        {
          status: 'dry_run',
          completedAt: clock(),
          result: { dryRun: true, intended: { kind: action.kind, target: action.targetId, params: action.params } },
        },
        { outcome: 'dry_run', details: { intended: action.params } },
      );
      alog.info('dry run: recorded the action without calling the Admin API');
      if (done) await notify(done);
      return;
    }
    try {
      const result = await executeAction(deps.access, action);
      const done = await finish(
        action,
        { status: 'succeeded', completedAt: clock(), result, lastError: null },
        { outcome: 'succeeded', details: { result } },
      );
      alog.info('action succeeded');
      if (done) await notify(done);
    } catch (err) {
      const code = isStewardError(err) ? err.code : 'unexpected';
      const message = errorText(err);
      if (code === 'anthropic_not_found' && GONE_IS_DONE.has(action.kind)) {
        const done = await finish(
          action,
          { status: 'succeeded', completedAt: clock(), result: { alreadyGone: true }, lastError: null },
          { outcome: 'succeeded', details: { alreadyGone: true } },
        );
        if (done) await notify(done);
        return;
      }
      // Whoever made the error decided whether trying again can help; anything else is a
      // fault of ours, and the same call would fail the same way.
      const retryable = isRetryable(err);
      if (retryable && action.attempts < cfg.maxAttempts) {
        const next = new Date(clock().getTime() + backoffMs(action.attempts, cfg.backoff));
        await finish(
          action,
          { status: 'pending', nextAttemptAt: next, lastError: message },
          { outcome: 'retrying', details: { error: message, code, nextAttemptAt: next.toISOString() } },
        );
        alog.warn({ code, nextAttemptAt: next }, 'action failed; will retry');
        return;
      }
      const done = await finish(
        action,
        { status: 'failed', completedAt: clock(), lastError: message },
        { outcome: 'failed', details: { error: message, code } },
      );
      alog.error({ code }, 'action failed for good');
      if (done) await notify(done);
    }
  }

  async function notify(action: OutboxAction) {
    try {
      await deps.notifier?.actionFinished(action);
    } catch (err) {
      log.error({ err, actionId: action.id }, 'could not report the action result');
    }
  }

  async function drain(): Promise<number> {
    await ensureLiveness();
    let ran = 0;
    const lanes = Array.from({ length: cfg.concurrency }, async () => {
      while (!stopping) {
        const action = await claimOne();
        if (!action) return;
        const p = runOne(action);
        inFlight.add(p);
        try {
          await p;
        } finally {
          inFlight.delete(p);
        }
        ran++;
      }
    });
    await Promise.all(lanes);
    return ran;
  }

  async function loop() {
    while (running && !stopping) {
      try {
        await drain();
      } catch (err) {
        log.error({ err }, 'outbox poll failed');
      }
      if (!running || stopping) break;
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        timer = setTimeout(resolve, cfg.pollMs);
      });
      wakeUp = undefined;
    }
  }
  let loopDone: Promise<void> | undefined;

  return {
    drain,
    start() {
      if (running) return;
      running = true;
      stopping = false;
      loopDone = loop();
    },
    wake() {
      wakeUp?.();
    },
    async stop(opts = {}) {
      stopping = true;
      running = false;
      if (timer) clearTimeout(timer);
      wakeUp?.();
      const grace = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), opts.graceMs ?? 5_000).unref());
      const settled = await Promise.race([Promise.allSettled(inFlight).then(() => 'done' as const), grace]);
      if (settled === 'timeout') {
        const released = await releaseHeld(deps.db, me, clock());
        log.warn({ released }, 'stopping with actions still in flight: handed them back to the queue');
      } else {
        await loopDone;
      }
      await liveness?.release();
      liveness = null;
    },
  };
}

function errorText(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.length > 500 ? `${m.slice(0, 500)}…` : m;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
