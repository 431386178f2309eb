/**
 * "Now", as every service reads it. A composition root chooses the clock once (the
 * system clock in production, a test's own clock in tests) and passes it down; domain
 * rules take the instant itself (`now: Date`) as an argument.
 */
export type Clock = () => Date;

/** The system clock, for composition roots only. */
export const systemClock: Clock = () => new Date();
