/** The times that decide whether an override applies. */
export interface OverrideTimes {
  startsAt: Date;
  /** null only for permanent overrides. */
  endsAt: Date | null;
  revokedAt: Date | null;
}

/**
 * Whether an override applies at `now`: from its start, until its end or its revocation,
 * whichever comes first. Expiry is this comparison, so no job has to run at `endsAt`. The one
 * statement of the rule: the evaluator and the GraphQL `active` field both use it.
 */
export function overrideInForce(override: OverrideTimes, now: Date): boolean {
  return (
    override.startsAt <= now &&
    (override.endsAt === null || now < override.endsAt) &&
    (override.revokedAt === null || now < override.revokedAt)
  );
}

/**
 * Whether an override can still apply at `now` or later (not ended, not revoked). Account
 * states keep these, future ones included, so a cached state stays right as time passes.
 */
export function overrideMayApply(override: Omit<OverrideTimes, 'startsAt'>, now: Date): boolean {
  return (override.endsAt === null || now < override.endsAt) && (override.revokedAt === null || now < override.revokedAt);
}
