/**
 * Billing sync with Stripe: events applied exactly once and order-proof, customer links, sync
 * issues. Other domains import from here, never from the files. Reconciliation builds on
 * `fromStripeSubscription` and `BillingService.applyProviderSubscription`.
 */
export { BillingCustomer } from './billing-customer.entity.js';
export { BillingEvent } from './billing-event.entity.js';
export { BillingSubscription } from './billing-subscription.entity.js';
export { BillingSyncIssue } from './billing-sync-issue.entity.js';
export { BillingAccountResolver, BillingResolver } from './billing.resolver.js';
export {
  BillingService,
  STRIPE_ACTOR,
  type ApplyProviderSubscriptionOptions,
  type BillingSettings,
  type SyncProblem,
  type SyncResult,
} from './billing.service.js';
export {
  combinedStatus,
  comparePayments,
  compareSnapshots,
  governingState,
  STRIPE_LIFECYCLE_RANK,
  mirroredSubscription,
  type MirroredSubscription,
  type OrderKey,
  type PaymentSignal,
  type PriceMapping,
  type ProviderPayment,
  type ProviderSubscription,
  type ProviderSubscriptionItem,
  type ProviderSubscriptionState,
} from './provider-subscription.js';
export { createStripeGateway, StripeRefused, StripeUnavailable, type StripeGateway, type StripePlanChange } from './stripe-gateway.js';
export {
  ACCOUNT_METADATA_KEY,
  fromCheckoutSession,
  fromStripeEvent,
  fromStripeInvoice,
  fromStripeSubscription,
  HANDLED_STRIPE_EVENTS,
  MalformedStripeObject,
  STRIPE_STATUS_MAP,
  stripeStatus,
  type NormalizedStripeEvent,
  type StripeEventObject,
  type StripeSubscriptionObject,
} from './stripe-mapping.js';
export { LAST_STRIPE_SECOND, stripeSubscriptionSchema } from './stripe-schema.js';
export { RECONCILIATION_ACTOR, ReconciliationService, type ReconciliationReport } from './reconciliation.service.js';
export type { BillingContext } from './billing.context.js';
