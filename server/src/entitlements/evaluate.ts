import { FEATURE_KIND_RULES, type Overage, type UsagePeriod } from '../vocabulary/index.js';
import type { Decision, DecisionReason } from './decision.js';
import type { AccountState, CatalogPlanVersion, CatalogSnapshot, SubscriptionState, UsageSnapshot } from './evaluation-input.js';
import { overrideInForce } from './override-in-force.js';
import { periodBounds } from './period-bounds.js';
import { subscriptionAt } from './subscription-at.js';
import { subscriptionPhase, type PhaseAt } from './subscription-phase.js';

/** Where access stands after one step of the evaluation order. */
interface Access {
  allowed: boolean;
  reason: DecisionReason;
  limit: number | null;
  planVersion: CatalogPlanVersion | null;
  addOnKeys: string[];
  overrideIds: string[];
  expiresAt: Date | null;
  period: UsagePeriod | null;
  softLimitPercent: number;
  overage: Overage;
}

/** The usage period a decision is counted in. */
export interface CountingPeriod {
  period: UsagePeriod;
  start: Date;
  /** Exclusive; null for gauges that never reset. */
  end: Date | null;
}

/** A feature's access for one account at one instant, waiting only for the period's usage. */
export interface Evaluation {
  featureKey: string;
  /** The period whose counter the decision needs; null for features without usage (SWITCH). */
  counting: CountingPeriod | null;
  /** The decision, given what was used in `counting` (0 when it is null). */
  decide(used: number, requestedAmount?: number): Decision;
}

/**
 * Can this account use this feature now (for `requestedAmount` more units), and why. Pure: the
 * same inputs always give the same decision; `now` is an argument, never read from a clock.
 * One call settles access and names the period whose usage counter the decision needs; the
 * caller reads that counter and calls `decide` with it.
 *
 * Order: the subscription's plan version (or the default plan) → add-ons → active overrides
 * (folded oldest to newest: SET_LIMIT replaces, ADD_LIMIT adds, the newest GRANT/REVOKE wins) →
 * trial and subscription status → `requires` → usage against the limit.
 *
 * @example
 * const evaluation = evaluateAccess(catalog, account, 'api_calls', now);
 * const used = evaluation.counting ? await readCounter(evaluation.counting.start) : 0;
 * if (!evaluation.decide(used).allowed) showPaywall();
 */
export function evaluateAccess(catalog: CatalogSnapshot, account: AccountState, featureKey: string, now: Date): Evaluation {
  const feature = catalog.features.get(featureKey);
  if (!feature) throw new Error(`evaluate: unknown feature "${featureKey}"; callers must check the catalog first`);

  const kind = FEATURE_KIND_RULES[feature.kind];
  const access = settleAccess(catalog, account, featureKey, now);
  const subscription = currentSubscription(catalog, account, now);
  const billing = {
    start: subscription?.currentPeriodStart ?? null,
    end: subscription?.currentPeriodEnd ?? null,
    interval: subscription ? catalog.planVersions.get(subscription.planVersionId)?.interval : undefined,
  };
  const period = kind.countable ? (access.period ?? kind.defaultPeriod) : null;
  const counting = period ? { period, ...periodBounds(period, now, billing) } : null;
  const limit = !kind.countable ? null : access.allowed || access.limit !== null ? access.limit : 0;
  const missingFeatures = access.allowed
    ? feature.requires.filter((required) => !isAccessible(catalog, account, required, now, new Set([featureKey])))
    : [];
  const plan = access.planVersion;

  return {
    featureKey,
    counting,
    decide(usedInPeriod, requestedAmount) {
      const used = counting ? usedInPeriod : 0;
      let allowed = access.allowed;
      let reason = access.reason;
      if (allowed && missingFeatures.length) {
        allowed = false;
        reason = 'MISSING_DEPENDENCY';
      }
      if (allowed && limit !== null && access.overage === 'BLOCK' && used + (requestedAmount ?? 1) > limit) {
        allowed = false;
        reason = 'LIMIT_REACHED';
      }
      return {
        featureKey,
        allowed,
        reason,
        source: { planVersionId: plan?.id ?? null, addOnKeys: access.addOnKeys, overrideIds: access.overrideIds },
        limit,
        used,
        remaining: limit === null ? null : Math.max(0, limit - used),
        softLimitReached: limit !== null && limit > 0 && used >= (limit * access.softLimitPercent) / 100,
        resetsAt: kind.hasPeriod ? (counting?.end ?? null) : null,
        expiresAt: access.expiresAt,
        plan: plan ? { key: plan.planKey, name: plan.planName, version: plan.version } : null,
        overage: access.overage,
        period: counting?.period ?? null,
        periodStart: counting?.start ?? null,
        missingFeatures,
      };
    },
  };
}

/**
 * The decision when the usage is already known (offers, tests): {@link evaluateAccess} and
 * `decide` with the feature's entry in `usage`.
 */
export function evaluate(
  catalog: CatalogSnapshot,
  account: AccountState,
  usage: UsageSnapshot,
  featureKey: string,
  now: Date,
  requestedAmount?: number,
): Decision {
  return evaluateAccess(catalog, account, featureKey, now).decide(usage.get(featureKey) ?? 0, requestedAmount);
}

/** Which plan version applies to an account at one instant: step 1 of the evaluation order. */
export interface PlanInForce {
  /** The subscription's version while it is in force, else the default plan's; null when neither exists. */
  planVersion: CatalogPlanVersion | null;
  /** Whether the subscription (if any) is in force: ACTIVE, a trial or its grace, PAST_DUE within its grace. */
  subscriptionInForce: boolean;
  /** The subscription as it stands at that instant (a due scheduled change applied); null without one. */
  subscription: SubscriptionState | null;
  /** The subscription's phase at that instant; null without a subscription. */
  phase: PhaseAt | null;
  /** Why nothing of the subscription applies (NO_SUBSCRIPTION without a default plan, TRIAL_EXPIRED, SUBSCRIPTION_INACTIVE), else null. */
  inactiveReason: DecisionReason | null;
}

/**
 * The plan version whose entitlements apply to the account at `now`: the subscription's while it
 * is in force (its phase says so), else the default plan's. Pure, like {@link evaluateAccess},
 * which starts with it; a plan badge shows the same plan the decisions use.
 *
 * @example
 * const { planVersion } = planInForce(catalog, account, now);
 * badge.textContent = planVersion?.planName ?? 'No plan';
 */
export function planInForce(catalog: CatalogSnapshot, account: AccountState, now: Date): PlanInForce {
  const subscription = currentSubscription(catalog, account, now);
  const defaultPlan = catalog.defaultPlanVersionId ? (catalog.planVersions.get(catalog.defaultPlanVersionId) ?? null) : null;
  if (!subscription) {
    return { planVersion: defaultPlan, subscriptionInForce: false, subscription, phase: null, inactiveReason: defaultPlan ? null : 'NO_SUBSCRIPTION' };
  }
  const own = catalog.planVersions.get(subscription.planVersionId) ?? null;
  const phase = subscriptionPhase(subscription, own?.trialGraceDays ?? 0, now);
  if (phase.inForce) return { planVersion: own, subscriptionInForce: true, subscription, phase, inactiveReason: null };
  return {
    planVersion: defaultPlan,
    subscriptionInForce: false,
    subscription,
    phase,
    inactiveReason: subscription.status === 'TRIALING' && phase.phase === 'EXPIRED' ? 'TRIAL_EXPIRED' : 'SUBSCRIPTION_INACTIVE',
  };
}

/** The account's subscription as it stands at `now`: a scheduled plan change applies from its instant on. */
function currentSubscription(catalog: CatalogSnapshot, account: AccountState, now: Date): SubscriptionState | null {
  if (!account.subscription) return null;
  return subscriptionAt(account.subscription, (id) => catalog.planVersions.get(id)?.interval ?? 'MONTH', now);
}

/** Access only: plan, add-ons, overrides and status, ignoring usage and requirements. */
function settleAccess(catalog: CatalogSnapshot, account: AccountState, featureKey: string, now: Date): Access {
  const subscription = account.subscription;

  // 1. Which plan version is the base, and whether the subscription is in force.
  const { planVersion: base, inactiveReason, phase } = planInForce(catalog, account, now);
  // A trial and the grace after it give access until they end; say which, and until when.
  const trialReason = phase?.phase === 'TRIAL' ? 'TRIAL' : phase?.phase === 'TRIAL_GRACE' ? 'TRIAL_GRACE' : null;
  // Access through a subscription that ends by itself (trial, grace, past-due grace, canceled at period end) expires then.
  const subscriptionEndsAt = phase?.inForce ? phase.endsAt : null;

  const entitlement = base?.entitlements.get(featureKey);
  const access: Access = {
    allowed: false,
    reason: inactiveReason ?? 'NOT_IN_PLAN',
    limit: null,
    planVersion: base,
    addOnKeys: [],
    overrideIds: [],
    expiresAt: null,
    period: entitlement?.period ?? null,
    softLimitPercent: entitlement?.softLimitPercent ?? 80,
    overage: entitlement?.overage ?? 'BLOCK',
  };
  if (entitlement?.enabled) {
    access.allowed = true;
    access.reason = trialReason ?? 'INCLUDED_IN_PLAN';
    access.limit = entitlement.limit;
    access.expiresAt = subscriptionEndsAt;
    // A per-seat price: the limit is the seats paid for (the plan item's quantity), when the
    // subscription in force says how many; the plan's own limit otherwise.
    const seats = subscription && !inactiveReason ? seatsPaidFor(base, subscription, featureKey) : null;
    if (seats !== null) access.limit = seats;
  }

  // 2. Add-ons, only on a subscription in force.
  if (subscription && !inactiveReason) {
    let increments = 0;
    let enabledByAddOn = false;
    for (const { addOnKey, quantity } of subscription.addOns) {
      const grant = catalog.addOns.get(addOnKey)?.grants.get(featureKey);
      if (!grant || quantity <= 0) continue;
      access.addOnKeys.push(addOnKey);
      if (grant.enable) enabledByAddOn = true;
      if (grant.limitIncrement) increments += grant.limitIncrement * quantity;
    }
    if (!access.allowed && enabledByAddOn) {
      access.allowed = true;
      access.reason = 'GRANTED_BY_ADDON';
      access.limit = increments > 0 ? increments : null;
    } else if (access.allowed && access.limit !== null) {
      access.limit += increments;
    }
  }

  // 3. Overrides in force at `now`, oldest first, so the newest has the last word.
  const overrides = account.overrides
    .filter((override) => override.featureKey === featureKey && overrideInForce(override, now))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  let overrideAccess: 'GRANT' | 'REVOKE' | null = null;
  let overrideExpiry: Date | null = null;
  for (const override of overrides) {
    access.overrideIds.push(override.id);
    if (override.endsAt && (!overrideExpiry || override.endsAt < overrideExpiry)) overrideExpiry = override.endsAt;
    switch (override.effect) {
      case 'GRANT':
        overrideAccess = 'GRANT';
        if (override.value !== null) access.limit = override.value;
        else if (!access.allowed && !entitlement) access.limit = null;
        break;
      case 'REVOKE':
        overrideAccess = 'REVOKE';
        break;
      case 'SET_LIMIT':
        access.limit = override.value;
        break;
      case 'ADD_LIMIT':
        if (access.limit !== null || !access.allowed) access.limit = (access.limit ?? 0) + (override.value ?? 0);
        break;
    }
  }
  if (overrideAccess === 'REVOKE') {
    access.allowed = false;
    access.reason = 'REVOKED_BY_OVERRIDE';
  } else if (overrideAccess === 'GRANT' && !access.allowed) {
    access.allowed = true;
    access.reason = 'GRANTED_BY_OVERRIDE';
  }
  if (overrides.length) access.expiresAt = earliest(access.expiresAt, overrideExpiry);
  // Plan limit + add-ons × quantity + ADD_LIMIT overrides may sum past what a counter can hold;
  // no counter can pass 2^53-1 (MAX_QUANTITY), so neither does a limit, and every decision stays exact.
  if (access.limit !== null && access.limit > Number.MAX_SAFE_INTEGER) access.limit = Number.MAX_SAFE_INTEGER;
  return access;
}

/** The plan item's quantity when `featureKey` is the version's per-seat feature, else null. */
function seatsPaidFor(version: CatalogPlanVersion | null, subscription: SubscriptionState, featureKey: string): number | null {
  if (!version?.quantityFeatureKey || version.quantityFeatureKey !== featureKey) return null;
  const quantity = subscription.planQuantity;
  return typeof quantity === 'number' && Number.isSafeInteger(quantity) && quantity >= 0 ? quantity : null;
}

/** Whether a required feature is available (access only: its own usage does not matter). */
function isAccessible(catalog: CatalogSnapshot, account: AccountState, featureKey: string, now: Date, visiting: Set<string>): boolean {
  const feature = catalog.features.get(featureKey);
  if (!feature) return false;
  if (visiting.has(featureKey)) return true;
  if (!settleAccess(catalog, account, featureKey, now).allowed) return false;
  const path = new Set(visiting).add(featureKey);
  return feature.requires.every((required) => isAccessible(catalog, account, required, now, path));
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}
