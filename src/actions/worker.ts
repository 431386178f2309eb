import { randomUUID } from 'node:crypto';
import type { SessionLock } from '../db/client.js';
import type { Db } from '../db/types.js';
import { isStewardError } from '../domain/errors.js';
import type { Logger } from '../log.js';
import type { AccessControl } from './execute.js';
import { afterFailure } from './after-failure.js';
import { executeAction } from './execute.js';
import { finishAction } from './finish.js';
import { rereadAffectedKeys, type SideEffects } from './side-effects.js';
import { claimNext, releaseHeld, type OutboxAction } from './outbox.js';
import { accessOf } from './org-access.js';
import type { Clock } from '../domain/clock.js';

export interface ActionNotifier {
  /** The action reached a final state (succeeded, failed, dry_run): update the review's message, alert on failure. */
  actionFinished(action: OutboxAction): Promise<void>;
  /** The action waits to be resent (an error documented as safe to resend): show that it is still under way. */
  actionRetrying?(action: OutboxAction): Promise<void>;
}

export interface OutboxWorkerDeps {
  db: Db;
  access: AccessControl;
  /** Issue 17: the Admin API of the organisation holding the access (`org_id`); null if no key reaches it. */
  accessFor?: (orgId: string) => Promise<AccessControl | null>;
  logger: Logger;
  notifier?: ActionNotifier;
  /** Liveness: a session lock named after the worker, so a dead worker's row is taken over at once. */
  sessionLock?: (key: string, opts?: { wait?: boolean }) => Promise<SessionLock | null>;
  dryRun: boolean;
  /**
   * The policy's `review.actions: notify` (issue 20): like a dry run, the Admin API is never
   * called, but the record says so in plain words ("not revoked, recorded") for the people told.
   */
  notifyOnly?: boolean;
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

  const finish = (
    action: OutboxAction,
    patch: Partial<OutboxAction>,
    audit: { outcome: string; details: Record<string, unknown> },
    effects: SideEffects | null = null,
  ) =>
    finishAction(deps.db, { worker: me, now: clock, policyVersion: deps.policyVersion }, action, patch, audit, effects);

  async function runOne(action: OutboxAction): Promise<void> {
    const alog = log.child({
      actionId: action.id,
      kind: action.kind,
      attempt: action.attempts,
      reviewItemId: action.reviewItemId,
    });
    if (deps.dryRun || deps.notifyOnly) {
      const intended = { kind: action.kind, target: action.targetId, params: action.params };
      const done = await finish(
        action,
        {
          status: 'dry_run',
          completedAt: clock(),
          result: deps.dryRun ? { dryRun: true, intended } : { notifyOnly: true, intended },
        },
        { outcome: 'dry_run', details: { intended: action.params } },
      );
      alog.info('dry run: recorded the action without calling the Admin API');
      if (done) await notify(done);
      return;
    }
    let result: Record<string, unknown>;
    let access = deps.access;
    try {
      access = (await accessOf(deps, action.orgId)) ?? access;
      result = await executeAction(access, action);
    } catch (err) {
      await failed(action, err, alog);
      return;
    }
    // What else the change did (keys a removal turned off): read back, recorded with it.
    const effects = await rereadAffectedKeys(deps.db, access, action);
    const seen = effects
      ? { keysTurnedOff: effects.keysTurnedOff, ...(effects.unread.length ? { keysUnread: effects.unread } : {}) }
      : {};
    const done = await finish(
      action,
      { status: 'succeeded', completedAt: clock(), result: { ...result, ...seen }, lastError: null },
      { outcome: 'succeeded', details: { result, ...(effects ? { sideEffects: seen } : {}) } },
      effects,
    );
    if (effects?.unread.length)
      alog.warn({ unread: effects.unread }, 'could not re-read some keys the change may have turned off');
    alog.info({ keysTurnedOff: effects?.keysTurnedOff.length }, 'action succeeded');
    if (done) await notify(done);
  }

  async function failed(action: OutboxAction, err: unknown, alog: Logger): Promise<void> {
    const code = isStewardError(err) ? err.code : 'unexpected';
    const message = errorText(err);
    const then = afterFailure(err, action, cfg, clock());
    if (then.next === 'gone') {
      const done = await finish(
        action,
        { status: 'succeeded', completedAt: clock(), result: { alreadyGone: true }, lastError: null },
        { outcome: 'succeeded', details: { alreadyGone: true } },
      );
      if (done) await notify(done);
      return;
    }
    if (then.next === 'retry') {
      const waiting = await finish(
        action,
        { status: 'pending', nextAttemptAt: then.at, lastError: message },
        {
          outcome: 'retrying',
          details: {
            error: message,
            code,
            nextAttemptAt: then.at.toISOString(),
            ...(then.resendSafe ? { resendSafe: true } : {}),
          },
        },
      );
      alog.warn({ code, nextAttemptAt: then.at, resendSafe: then.resendSafe }, 'action failed; will retry');
      if (waiting && then.resendSafe) await notify(waiting, 'retrying');
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

  async function notify(action: OutboxAction, what: 'finished' | 'retrying' = 'finished') {
    try {
      if (what === 'retrying') await deps.notifier?.actionRetrying?.(action);
      else await deps.notifier?.actionFinished(action);
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
