import {
  billingPeriodEnd,
  evaluateAccess,
  type AccountState,
  type CatalogPlanVersion,
  type CatalogSnapshot,
  type Decision,
  type Evaluation,
  type SubscriptionState,
} from '../entitlements/index.js';
import { FEATURE_KIND_RULES, type BillingInterval, type PlanChangeTiming } from '../vocabulary/index.js';
import { priceChange, type Money } from './monthly-price.js';

/** A plan version as a migration needs it: which one, and how long its billing period is. */
export interface MigrationVersion {
  id: string;
  interval: BillingInterval;
}

/**
 * The subscription as a migration leaves it, the same rules as `changePlan`: NOW moves the
 * version at once and keeps the billing period when the interval stays the same (so the period's
 * metered usage is kept), else starts a new period now; PERIOD_END schedules the change for the
 * end of the current period (`scheduledChange`), or applies it now when that period has already
 * ended (a subscription nobody renewed). Status, trial, add-ons, cancellation and pin are kept:
 * a migration is not the account's choice. Pure: the preview simulates exactly what the batch
 * writes.
 *
 * @example
 * const after = migratedSubscription(state.subscription, { id: v1.id, interval: 'MONTH' }, { id: v2.id, interval: 'MONTH' }, 'NOW', now);
 */
export function migratedSubscription<S extends SubscriptionState>(
  subscription: S,
  from: MigrationVersion,
  target: MigrationVersion,
  effective: PlanChangeTiming,
  now: Date,
): S {
  const periodEnd = subscription.currentPeriodEnd;
  if (effective === 'PERIOD_END' && periodEnd && periodEnd > now) {
    return { ...subscription, scheduledChange: { planVersionId: target.id, at: periodEnd } };
  }
  const keepsPeriod = from.interval === target.interval && subscription.currentPeriodStart !== null && periodEnd !== null;
  return {
    ...subscription,
    planVersionId: target.id,
    currentPeriodStart: keepsPeriod ? subscription.currentPeriodStart : now,
    currentPeriodEnd: keepsPeriod ? periodEnd : billingPeriodEnd(now, target.interval),
  };
}

/** One feature whose limit the migration changes; null = unlimited. */
export interface LimitChange {
  featureKey: string;
  from: number | null;
  to: number | null;
  /** Usage counted against the new limit when the change takes effect. */
  used: number;
}

/** What one account would see change, as the evaluator decides it before and after. */
export interface MigrationDiff {
  accountId: string;
  fromVersion: CatalogPlanVersion;
  toVersion: CatalogPlanVersion;
  /** When the change takes effect for this account (now, or its period end), and the instant both sides are evaluated at. */
  effectiveAt: Date;
  featuresGained: string[];
  featuresLost: string[];
  limitChanges: LimitChange[];
  /** Usage above a new, lower limit: kept, but the feature says LIMIT_REACHED until it is released. */
  wouldBeOverLimit: boolean;
  /** The list price change per month, one entry per currency involved. */
  priceChange: Money[];
}

/** A usage counter a diff needs: the feature and the start of the period it is counted in. */
export interface CounterKey {
  featureKey: string;
  periodStart: Date;
}

/** A diff waiting for its usage counters, so a page of accounts reads all its counters in one query. */
export interface PendingDiff {
  accountId: string;
  counters: CounterKey[];
  finish(used: (counter: CounterKey) => number): MigrationDiff;
}

/**
 * What the migration would change for one account, by running the pure evaluator on the account
 * as it is and as the migration would leave it ({@link migratedSubscription}), both at the instant
 * the change takes effect (now, or the account's period end), with its overrides, add-ons and
 * usage. A feature is held when it is allowed or refused only by its limit; a limit change is
 * listed for features held on both sides. Pure.
 *
 * @example
 * const pending = pendingDiff(catalog, account, target, 'NOW', now);
 * const diff = pending.finish((counter) => counters.get(key(counter)) ?? 0);
 */
export function pendingDiff(
  catalog: CatalogSnapshot,
  account: AccountState,
  target: CatalogPlanVersion,
  effective: PlanChangeTiming,
  now: Date,
): PendingDiff {
  const subscription = account.subscription;
  const fromVersion = subscription ? catalog.planVersions.get(subscription.planVersionId) : undefined;
  if (!subscription || !fromVersion) throw new Error(`pendingDiff: account "${account.accountId}" has no subscription on a catalog version`);
  const moved = migratedSubscription(subscription, fromVersion, target, effective, now);
  const effectiveAt = moved.scheduledChange?.planVersionId === target.id ? moved.scheduledChange.at : now;
  const features = [...catalog.features.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const before = features.map((feature) => evaluateAccess(catalog, account, feature.key, effectiveAt));
  const after = features.map((feature) => evaluateAccess(catalog, { ...account, subscription: moved }, feature.key, effectiveAt));
  // Before and after usually count in the same period: each counter is read once.
  const counters = new Map<string, CounterKey>();
  for (const evaluation of [...before, ...after]) {
    if (!evaluation.counting) continue;
    counters.set(`${evaluation.featureKey}\u0000${evaluation.counting.start.getTime()}`, { featureKey: evaluation.featureKey, periodStart: evaluation.counting.start });
  }
  return {
    accountId: account.accountId,
    counters: [...counters.values()],
    finish(used) {
      const decide = (evaluation: Evaluation): Decision =>
        evaluation.decide(evaluation.counting ? used({ featureKey: evaluation.featureKey, periodStart: evaluation.counting.start }) : 0);
      const featuresGained: string[] = [];
      const featuresLost: string[] = [];
      const limitChanges: LimitChange[] = [];
      features.forEach((feature, index) => {
        const was = decide(before[index]!);
        const will = decide(after[index]!);
        if (held(will) && !held(was)) featuresGained.push(feature.key);
        if (held(was) && !held(will)) featuresLost.push(feature.key);
        if (FEATURE_KIND_RULES[feature.kind].countable && held(was) && held(will) && was.limit !== will.limit) {
          limitChanges.push({ featureKey: feature.key, from: was.limit, to: will.limit, used: will.used });
        }
      });
      return {
        accountId: account.accountId,
        fromVersion,
        toVersion: target,
        effectiveAt,
        featuresGained,
        featuresLost,
        limitChanges,
        wouldBeOverLimit: limitChanges.some((change) => change.to !== null && (change.from === null || change.to < change.from) && change.used > change.to),
        priceChange: priceChange(fromVersion, target),
      };
    },
  };
}

/** The account has the feature: allowed, or refused only because its usage reached the limit. */
function held(decision: Decision): boolean {
  return decision.allowed || decision.reason === 'LIMIT_REACHED';
}
