import type { CreatePlanVersionInput, PlanEntitlementInput } from '../generated/graphql.js';
import type { DeskVersion } from './catalog-types.js';

/** A version's entitlements as the API takes them back. */
export function entitlementInputs(version: Pick<DeskVersion, 'entitlements'>): PlanEntitlementInput[] {
  return version.entitlements.map((entitlement) => ({
    feature: entitlement.feature,
    enabled: entitlement.enabled,
    limit: entitlement.limit,
    period: entitlement.period,
    softLimitPercent: entitlement.softLimitPercent,
    overage: entitlement.overage,
  }));
}

/** A copy of a version as the input of a new draft: the usual start of the next version. */
export function versionInput(version: DeskVersion): CreatePlanVersionInput {
  return {
    plan: version.plan,
    price: { amount: version.price.amount, currency: version.price.currency },
    interval: version.interval,
    trialDays: version.trialDays,
    trialGraceDays: version.trialGraceDays,
    pastDueGraceDays: version.pastDueGraceDays,
    // A Stripe price maps to one version: the draft starts without the old one's prices.
    billingPriceIds: [],
    quantityFeature: version.quantityFeature,
    entitlements: entitlementInputs(version),
  };
}
