/**
 * The source of "now" for every decision. Injected so tests can pin time at a period or expiry
 * boundary instead of waiting for it.
 */
export type Clock = () => Date;

/** The wall clock. */
export const systemClock: Clock = () => new Date();
