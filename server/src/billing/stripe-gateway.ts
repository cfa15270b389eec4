import Stripe from 'stripe';
import type { StripeApiBase } from '../config/index.js';
import type { StripeSubscriptionObject } from './stripe-mapping.js';

/**
 * What Tollgate reads from Stripe's API: a subscription (to apply a checkout at once), a customer
 * (for its metadata.tollgate_account_id), and every subscription (reconciliation). An interface,
 * so tests and reconciliation can stand in for Stripe.
 */
export interface StripeGateway {
  retrieveSubscription(id: string): Promise<StripeSubscriptionObject>;
  /** Null when Stripe has no such customer, or it was deleted. */
  retrieveCustomer(id: string): Promise<{ id: string; metadata: Record<string, string> } | null>;
  /** Every subscription of the account, whatever its status, page after page. */
  listSubscriptions(): AsyncIterable<StripeSubscriptionObject>;
}

/** Stripe's API could not be reached or failed: the event is answered 503 so that Stripe delivers it again. */
export class StripeUnavailable extends Error {
  constructor(cause: unknown) {
    super(`Stripe's API could not be reached: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'StripeUnavailable';
  }
}

/**
 * The `stripe` package's client behind {@link StripeGateway}. `apiBase` (STRIPE_API_BASE) sends
 * its requests to a local stand-in instead of api.stripe.com, as the tests do.
 *
 * @example
 * const gateway = createStripeGateway(config.stripe.apiKey, config.stripe.apiBase);
 * const subscription = fromStripeSubscription(await gateway.retrieveSubscription('sub_123'));
 */
export function createStripeGateway(apiKey: string, apiBase: StripeApiBase | null): StripeGateway {
  const stripe = new Stripe(apiKey, {
    ...(apiBase ?? {}),
    maxNetworkRetries: 1,
    timeout: 10_000,
    appInfo: { name: 'Tollgate' },
  });
  return {
    async retrieveSubscription(id) {
      try {
        // The package's Subscription type is a StripeSubscriptionObject: no cast, so a change there fails the build.
        return await stripe.subscriptions.retrieve(id);
      } catch (error) {
        throw new StripeUnavailable(error);
      }
    },
    async retrieveCustomer(id) {
      try {
        const customer = await stripe.customers.retrieve(id);
        if ('deleted' in customer && customer.deleted) return null;
        return { id: customer.id, metadata: { ...(customer as { metadata?: Record<string, string> }).metadata } };
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return null;
        throw new StripeUnavailable(error);
      }
    },
    async *listSubscriptions() {
      try {
        for await (const subscription of stripe.subscriptions.list({ status: 'all', limit: 100 })) {
          yield subscription;
        }
      } catch (error) {
        throw new StripeUnavailable(error);
      }
    },
  };
}
