/**
 * Plain data the pure evaluator reads. Services build these from the database (or a cache);
 * the evaluator never sees an entity, a request or a clock of its own.
 */

import type {
  BillingInterval,
  FeatureKind,
  Overage,
  OverrideEffect,
  PlanVersionStatus,
  SubscriptionStatus,
  UsagePeriod,
} from '../vocabulary/index.js';

export type { FeatureKind, Overage, OverrideEffect, SubscriptionStatus, UsagePeriod };

/** A feature as the catalog defines it. */
export interface CatalogFeature {
  key: string;
  name: string;
  kind: FeatureKind;
  unit: string | null;
  /** Keys of features that must also be accessible for this one to be. */
  requires: string[];
}

/** What one plan version gives for one feature. */
export interface CatalogPlanEntitlement {
  featureKey: string;
  enabled: boolean;
  /** null = unlimited. Ignored for SWITCH features. */
  limit: number | null;
  period: UsagePeriod;
  softLimitPercent: number;
  overage: Overage;
}

/** An immutable, published (or retired) plan version. */
export interface CatalogPlanVersion {
  id: string;
  planKey: string;
  planName: string;
  planRank: number;
  version: number;
  status: Exclude<PlanVersionStatus, 'DRAFT'>;
  /** Integer minor units. */
  priceAmount: number;
  priceCurrency: string;
  interval: BillingInterval;
  trialDays: number;
  /** Days after a trial ends during which its plan still applies (reason TRIAL_GRACE). */
  trialGraceDays: number;
  /** Keyed by feature key. */
  entitlements: Map<string, CatalogPlanEntitlement>;
  /**
   * A per-seat price: this QUANTITY feature's limit is the quantity of the subscription's plan
   * item (`SubscriptionState.planQuantity`), not a number in the plan. Missing or null = none.
   */
  quantityFeatureKey?: string | null;
}

/** What one unit of an add-on grants for one feature. */
export interface CatalogAddOnGrant {
  featureKey: string;
  enable: boolean;
  /** Added to the limit per purchased unit; null = no change. */
  limitIncrement: number | null;
}

export interface CatalogAddOn {
  id: string;
  key: string;
  name: string;
  /** Price of one unit, integer minor units. */
  priceAmount: number;
  priceCurrency: string;
  interval: BillingInterval;
  /** Keyed by feature key. */
  grants: Map<string, CatalogAddOnGrant>;
}

/** Everything the evaluator needs to know about the catalog. */
export interface CatalogSnapshot {
  features: Map<string, CatalogFeature>;
  /** Every plan version an account may be on, keyed by id. */
  planVersions: Map<string, CatalogPlanVersion>;
  /** The newest published version of the default (free) plan, if one is marked default. */
  defaultPlanVersionId: string | null;
  /** Keyed by add-on key. */
  addOns: Map<string, CatalogAddOn>;
}

export interface SubscriptionState {
  planVersionId: string;
  status: SubscriptionStatus;
  trialEndsAt: Date | null;
  /** PAST_DUE accounts keep access until then. */
  graceEndsAt: Date | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  addOns: { addOnKey: string; quantity: number }[];
  /** Canceled at period end (phase CANCELING until then). Missing = false. */
  cancelAtPeriodEnd?: boolean;
  /** A plan change waiting for its instant; the evaluator applies it from `at` on. Missing = none. */
  scheduledChange?: { planVersionId: string; at: Date } | null;
  /** Canceled at a set instant that is not the period's end (Stripe's `cancel_at`): CANCELING until then. Missing = none. */
  cancelAt?: Date | null;
  /**
   * Whether a billing provider renews this subscription (Stripe): its period moves only when the
   * provider says so. A Tollgate-only subscription renews its period by itself at read time.
   * Missing = false.
   */
  billedByProvider?: boolean;
  /** The quantity of the plan item (seats of a per-seat price); null = not given. Missing = null. */
  planQuantity?: number | null;
}

export interface OverrideState {
  id: string;
  featureKey: string;
  effect: OverrideEffect;
  /** The limit for SET_LIMIT, the increment for ADD_LIMIT, an optional limit for GRANT. */
  value: number | null;
  startsAt: Date;
  /** null only for permanent overrides. */
  endsAt: Date | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** One account as the evaluator sees it. */
export interface AccountState {
  accountId: string;
  subscription: SubscriptionState | null;
  /** All overrides of the account, active or not; the evaluator decides which apply at `now`. */
  overrides: OverrideState[];
}

/** Usage already recorded in the current period, keyed by feature key. Missing = 0. */
export type UsageSnapshot = Map<string, number>;
