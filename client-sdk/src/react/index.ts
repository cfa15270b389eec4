'use client';
/**
 * @tollgate/sdk/react: hooks and paywall components on Apollo Client 4. Add the provider, ask
 * `useEntitlement('export_csv')`, and let refusals become upgrade prompts.
 */
export { TollgateProvider, type TollgateProviderProps } from './tollgate-provider.js';
export { useTollgate, type TollgateContextValue } from './tollgate-context.js';
export type { LiveMode } from './keep-newest-link.js';
export { useEntitlement, type EntitlementStatus, type UseEntitlementOptions, type UseEntitlementResult } from './use-entitlement.js';
export { useEntitlements, type UseEntitlementsResult } from './use-entitlements.js';
export { useUsage, type UseUsageResult } from './use-usage.js';
export { useUpgradeOffers, type UseUpgradeOffersOptions, type UseUpgradeOffersResult } from './use-upgrade-offers.js';
export { useConsume, type ConsumeOutcome, type UseConsumeResult } from './use-consume.js';
export { Feature, type FeatureProps } from './feature.js';
export { Paywall, type PaywallProps } from './paywall.js';
export { UpgradePrompt, type UpgradePromptProps } from './upgrade-prompt.js';
export { UsageMeter, type UsageMeterProps } from './usage-meter.js';
export { createPaywallLink, openPaywall } from './paywall-link.js';
export { offerLimitText, paywallTitle, reasonText, type ReasonTextDecision, type ReasonTextOptions } from './reason-text.js';
export { tollgateErrorCode } from './tollgate-error.js';
export type { ErrorFallback } from './use-gate-warning.js';
export type { ClientToken, TokenSource } from './client-token.js';
export type { EntitlementsSnapshot } from '../entitlements-snapshot.js';
export type { TollgateEntitlementFieldsFragment as EntitlementFields, TollgateUpgradeOfferFieldsFragment as UpgradeOfferFields } from '../generated/graphql.js';
export { PricingTable, type PricingPlan, type PricingTableProps } from './pricing-table.js';
export { useCurrentPlan, type UseCurrentPlanOptions, type UseCurrentPlanResult } from './use-current-plan.js';
/**
 * What `currentPlan` answers, as {@link useCurrentPlan} returns it whole.
 *
 * @example
 * const { currentPlan }: { currentPlan?: CurrentPlanFields } = useCurrentPlan();
 */
export type { TollgateCurrentPlanFieldsFragment as CurrentPlanFields } from '../generated/graphql.js';
