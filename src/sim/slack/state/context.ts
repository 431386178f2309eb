import { TsClock } from '../ids.js';
import type { SimTeam } from '../types.js';
import type { ChangeFeed, SimChange } from './changes.js';

export interface StateOptions {
  team: SimTeam;
  appId: string;
  botId: string;
  botUserId: string;
  botName: string;
  /** Slack's trigger ids live 3 seconds. */
  triggerTtlMs: number;
  /** A response_url accepts 5 posts within 30 minutes. */
  responseUrlTtlMs: number;
  responseUrlMaxUses: number;
  now: () => number;
}

/** What every part of the workspace shares: who the app is, the clock, and the change feed. */
export class StateContext {
  readonly team: SimTeam;
  readonly appId: string;
  readonly botId: string;
  readonly botUserId: string;
  readonly now: () => number;
  private readonly clock: TsClock;

  constructor(
    readonly opts: StateOptions,
    private readonly feed: ChangeFeed,
  ) {
    this.team = opts.team;
    this.appId = opts.appId;
    this.botId = opts.botId;
    this.botUserId = opts.botUserId;
    this.now = opts.now;
    this.clock = new TsClock(opts.now);
  }

  nextTs(): string {
    return this.clock.next();
  }

  nowSec(): number {
    return Math.floor(this.now() / 1000);
  }

  emit(change: SimChange): void {
    this.feed.emit(change);
  }
}
