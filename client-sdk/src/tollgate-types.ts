/**
 * The shapes of Tollgate's answers, generated from schema.graphql (see src/graphql/), so they
 * cannot drift from the server.
 */
import type {
  EntitlementReason,
  TollgateConsumeResultFieldsFragment,
  TollgateEntitlementFieldsFragment,
  TollgatePublishedPlanFieldsFragment,
  TollgateUpgradeOfferFieldsFragment,
  TollgateUsageQuery,
} from './generated/graphql.js';

export type { EntitlementReason };

/** Tollgate's answer to "can this account do this thing right now?" (GraphQL type Entitlement). */
export type Entitlement = TollgateEntitlementFieldsFragment;

/** A plan or add-on that would unlock a refused request (GraphQL type UpgradeOffer). */
export type UpgradeOffer = TollgateUpgradeOfferFieldsFragment;

/** The answer to consume and release. */
export type ConsumeResult = TollgateConsumeResultFieldsFragment;

/** Usage of one feature in its current period. */
export type Usage = TollgateUsageQuery['usage'];

/** Money in integer minor units, with a ready-to-show string. */
export type Money = UpgradeOffer['price'];

/**
 * A plan's newest published version, as a pricing page shows it (GraphQL type PublishedPlan):
 * price, trial, what it includes, and `billingPriceIds`, the Stripe prices a checkout charges.
 *
 * @example
 * const pro: PublishedPlan | undefined = (await tollgate.publishedPlans()).find((plan) => plan.key === 'pro');
 * const price = pro?.billingPriceIds[0]; // line_items: [{ price, quantity: 1 }]
 */
export type PublishedPlan = TollgatePublishedPlanFieldsFragment;
