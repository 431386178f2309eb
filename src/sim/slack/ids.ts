import { randomBytes, randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A Slack-looking id: one letter for the kind (U, C, D, V, F…) and ten upper-case alphanumerics. */
export function slackId(prefix: string): string {
  let out = prefix;
  for (let i = 0; i < 10; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** Slack's trigger ids look like "13345224609.738474920.8088930838d88f008e0". */
export function triggerId(nowMs: number): string {
  return `${Math.floor(nowMs / 1000)}${randomInt(10, 99)}.${randomInt(100_000_000, 999_999_999)}.${randomBytes(16).toString('hex')}`;
}

export function secret(bytes = 12): string {
  return randomBytes(bytes).toString('hex');
}

/**
 * Message timestamps: "seconds.micro", unique per workspace and strictly increasing, as
 * Slack guarantees within a channel. The counter keeps two messages posted in the same
 * microsecond apart.
 */
export class TsClock {
  private lastSec = 0;
  private lastMicro = -1;

  constructor(private readonly now: () => number) {}

  next(): string {
    const ms = this.now();
    let sec = Math.floor(ms / 1000);
    let micro = (ms % 1000) * 1000;
    if (sec < this.lastSec || (sec === this.lastSec && micro <= this.lastMicro)) {
      sec = this.lastSec;
      micro = this.lastMicro + 1;
      if (micro > 999_999) {
        sec += 1;
        micro = 0;
      }
    }
    this.lastSec = sec;
    this.lastMicro = micro;
    return `${sec}.${String(micro).padStart(6, '0')}`;
  }
}
