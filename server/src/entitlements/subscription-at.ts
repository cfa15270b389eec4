import type { BillingInterval } from '../vocabulary/index.js';
import { billingPeriodAt, billingPeriodEnd } from './billing-period.js';

/** A plan change waiting for its instant, as the evaluator and the writers see it. */
export interface ScheduledChangeState {
  planVersionId: string;
  at: Date;
}

/** The parts of a subscription a scheduled change replaces. */
interface ChangeableSubscription {
  planVersionId: string;
  status?: string;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd?: boolean;
  scheduledChange?: ScheduledChangeState | null;
  billedByProvider?: boolean;
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
  if (!change || now < change.at) return renewedAt(subscription, intervalOf, now);
  return renewedAt({
    ...subscription,
    planVersionId: change.planVersionId,
    currentPeriodStart: change.at,
    currentPeriodEnd: billingPeriodEnd(change.at, intervalOf(change.planVersionId)),
    cancelAtPeriodEnd: false,
    scheduledChange: null,
  }, intervalOf, now);
}

/**
 * A Tollgate-only subscription (no billing provider renews it) that is paid and not canceling
 * renews its period by itself: past its stored end, the period in force at `now` by the plan's
 * interval ({@link billingPeriodAt}). A provider's subscription keeps the period the provider
 * last said, so a late renewal webhook is never pre-empted; its usage still counts by the
 * interval (periodBounds). Pure.
 */
export function renewedAt<S extends ChangeableSubscription>(subscription: S, intervalOf: (planVersionId: string) => BillingInterval, now: Date): S {
  const { currentPeriodStart: start, currentPeriodEnd: end } = subscription;
  if (subscription.billedByProvider || subscription.cancelAtPeriodEnd || !start || !end || now < end) return subscription;
  if (subscription.status !== undefined && subscription.status !== 'ACTIVE' && subscription.status !== 'PAST_DUE') return subscription;
  const period = billingPeriodAt({ start, end }, intervalOf(subscription.planVersionId), now);
  return { ...subscription, currentPeriodStart: period.start, currentPeriodEnd: period.end };
}
