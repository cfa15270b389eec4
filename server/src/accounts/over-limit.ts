import type { Decision } from '../entitlements/index.js';

/**
 * Whether an account is at or over a limit: some feature with a limit has used all of it (or
 * more, with overage allowed or after a lower limit). A limit of 0 with nothing used is a feature
 * the plan withholds, not a limit hit, so `used` must be above 0: what support means by "this
 * customer hit their limit", and what the console's "Over a limit" filter finds.
 */
export function atOrOverALimit(decisions: readonly Decision[]): boolean {
  return decisions.some((decision) => decision.limit !== null && decision.used > 0 && decision.used >= decision.limit);
}
