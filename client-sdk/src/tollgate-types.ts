/**
 * The shapes of Tollgate's answers, generated from schema.graphql (see src/graphql/), so they
 * cannot drift from the server.
 */
import type {
  EntitlementReason,
  TollgateConsumeResultFieldsFragment,
  TollgateEntitlementFieldsFragment,
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
