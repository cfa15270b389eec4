import type { BillingInterval } from '../vocabulary/index.js';
import { billingPeriodEnd } from './billing-period.js';

/** A plan change waiting for its instant, as the evaluator and the writers see it. */
export interface ScheduledChangeState {
  planVersionId: string;
  at: Date;
}

/** The parts of a subscription a scheduled change replaces. */
interface ChangeableSubscription {
  planVersionId: string;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd?: boolean;
  scheduledChange?: ScheduledChangeState | null;
}

/** Whether a scheduled plan change has reached its instant (`at` itself included). Pure. */
export function scheduledChangeDue(subscription: { scheduledChange?: ScheduledChangeState | null }, now: Date): boolean {
  return !!subscription.scheduledChange && now >= subscription.scheduledChange.at;
}

/**
 * The subscription as it stands at `now`: once a scheduled change is due it is on the new
 * version, in a new billing period starting at the change's instant. The evaluator reads this,
 * and the next write stores the same thing, so a boundary takes effect exactly, with no job.
 * Pure; `intervalOf` gives a version's billing interval (the new period's length).
 *
 * @example
 * const current = subscriptionAt(state, (id) => catalog.planVersions.get(id)?.interval ?? 'MONTH', now);
 */
export function subscriptionAt<S extends ChangeableSubscription>(
  subscription: S,
  intervalOf: (planVersionId: string) => BillingInterval,
  now: Date,
): S {
  const change = subscription.scheduledChange;
  if (!change || now < change.at) return subscription;
  return {
    ...subscription,
    planVersionId: change.planVersionId,
    currentPeriodStart: change.at,
    currentPeriodEnd: billingPeriodEnd(change.at, intervalOf(change.planVersionId)),
    cancelAtPeriodEnd: false,
    scheduledChange: null,
  };
}
