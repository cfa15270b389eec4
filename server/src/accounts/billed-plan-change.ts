import type { AuditActor } from '../access/index.js';
import type { AuditAction, ProrationBehavior } from '../vocabulary/index.js';

/**
 * A plan change of a subscription a billing provider bills (Stripe): the price of its plan item
 * is swapped in Stripe, with an idempotency key, and Stripe's answer is applied to Tollgate.
 */
export interface BilledPlanChange {
  accountId: string;
  /** Stripe's `sub_…` the account's subscription mirrors. */
  providerSubscriptionId: string;
  from: { planVersionId: string; billingPriceIds: string[] };
  to: { planVersionId: string; planKey: string; version: number; billingPriceIds: string[] };
  prorationBehavior: ProrationBehavior;
  /**
   * Stripe's Idempotency-Key, derived from the request (or the migration) and the account: the
   * same change asked again within 24 hours is answered from Stripe's first answer, written once.
   */
  idempotencyKey: string;
  /** The audit log's actor (a person, a key, a migration) and reason of the change Stripe's answer makes in Tollgate. */
  actor: AuditActor;
  reason: string | null;
  /** The audit action (default `subscription.sync_from_billing`) and what `after` carries besides. */
  audit?: { action: AuditAction; after?: Record<string, unknown> };
}

/**
 * The port through which accounts and plan migrations change a Stripe-billed plan. Declared here,
 * in the lower domain; billing implements it and services.ts hands it in, so neither accounts nor
 * plan-migrations imports billing.
 */
export interface BilledPlanChanges {
  /** Whether Tollgate may write to the billing provider at all (STRIPE_API_KEY is set). */
  readonly writable: boolean;
  /**
   * Changes the plan in the provider and applies its answer. Throws BILLING_MANAGED when the
   * provider refuses (no key, no write access, no price for the target), STRIPE_UNAVAILABLE
   * when it cannot be reached (nothing changed in Tollgate; ask again with the same key).
   */
  change(change: BilledPlanChange): Promise<void>;
}
