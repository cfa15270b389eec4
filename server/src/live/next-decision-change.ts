import { planInForce, type AccountState, type CatalogSnapshot, type Decision } from '../entitlements/index.js';

/** What the next instant is found from: one account's decisions and the inputs they were made from. */
export interface DecisionsAt {
  catalog: CatalogSnapshot;
  account: AccountState;
  entitlements: { decision: Decision }[];
}

/**
 * The next instant after `now` at which the account's decisions can change with no write at
 * all, or null when none can: a trial, grace or past-due grace ending, a cancellation taking
 * effect at period end, a scheduled plan change, an override starting or ending, a metered
 * period resetting. Live updates arm one timer for it per watched account and push then, so a
 * boundary reaches clients at its instant without a polling job. It may name an instant at
 * which nothing visible changes (an override of a feature another one overrides too); that
 * costs one push of the same decisions. Pure.
 *
 * @example
 * const at = nextDecisionChange(await entitlements.decideAll('acme'), now); // e.g. the trial's end
 */
export function nextDecisionChange(decided: DecisionsAt, now: Date): Date | null {
  const after = now.getTime();
  let next = Infinity;
  const consider = (instant: Date | null | undefined): void => {
    const time = instant?.getTime();
    if (time !== undefined && time > after && time < next) next = time;
  };
  for (const { decision } of decided.entitlements) {
    consider(decision.expiresAt);
    consider(decision.resetsAt);
  }
  const { phase } = planInForce(decided.catalog, decided.account, now);
  consider(phase?.endsAt);
  consider(decided.account.subscription?.scheduledChange?.at);
  for (const override of decided.account.overrides) {
    consider(override.startsAt);
    consider(override.endsAt);
    consider(override.revokedAt);
  }
  return next === Infinity ? null : new Date(next);
}
