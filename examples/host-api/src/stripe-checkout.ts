import type { TollgateClient } from '@tollgate/sdk/server';
import Stripe from 'stripe';
import { checkoutUnavailable, planNotForSale, unknownPlan } from './checkout-errors.js';

/** Options of {@link createStripeCheckout}. */
export interface StripeCheckoutOptions {
  /** Where the plans and their Stripe prices come from: Tollgate is the one source of truth. */
  tollgate: TollgateClient;
  /** A Stripe secret or restricted key (`sk_test_…`) that may create Checkout Sessions. */
  apiKey: string;
  /** STRIPE_API_BASE: send the `stripe` client's requests here instead of api.stripe.com (a local stand-in in tests). */
  apiBase?: string;
  /** The app's address: Stripe sends the browser back to it, with `?checkout=success` or `?checkout=canceled`. */
  appUrl: string;
}

/** The product's checkout: where to send the browser to buy a plan. */
export interface Checkout {
  /**
   * Opens a Stripe Checkout Session for the plan's price and returns its URL. Throws
   * PLAN_NOT_FOUND, PLAN_NOT_FOR_SALE (no Stripe price) or CHECKOUT_UNAVAILABLE (Stripe failed).
   */
  start(accountId: string, plan: string): Promise<string>;
}

/**
 * Stripe Checkout as a host backend runs it. The plan's price is read from Tollgate's published
 * plans (the first of its version's `billingPriceIds`); the session names the account in
 * `client_reference_id` and in the subscription's `metadata.tollgate_account_id`, so Tollgate
 * links Stripe's customer to the account on `checkout.session.completed` and every later event
 * of the subscription maps without a manual link. The plan itself changes in Tollgate through
 * Stripe's webhook, never here: this backend only starts the payment.
 *
 * @example
 * const checkout = createStripeCheckout({ tollgate, apiKey: process.env.STRIPE_API_KEY!, appUrl: 'https://notes.example.com' });
 * const url = await checkout.start('acme', 'pro'); // send the browser there
 */
export function createStripeCheckout(options: StripeCheckoutOptions): Checkout {
  const stripe = new Stripe(options.apiKey, {
    ...(options.apiBase ? apiBase(options.apiBase) : {}),
    maxNetworkRetries: 1,
    timeout: 10_000,
    appInfo: { name: 'Tollgate example notes API' },
  });
  return {
    async start(accountId, planKey) {
      const plans = await options.tollgate.publishedPlans();
      const plan = plans.find((candidate) => candidate.key === planKey);
      if (!plan) throw unknownPlan(planKey, plans);
      const price = plan.billingPriceIds[0];
      if (!price) throw planNotForSale(plan.key, plans);
      let session: Stripe.Checkout.Session;
      try {
        session = await stripe.checkout.sessions.create({
          mode: 'subscription',
          line_items: [{ price, quantity: 1 }],
          client_reference_id: accountId,
          subscription_data: { metadata: { tollgate_account_id: accountId } },
          success_url: returnUrl(options.appUrl, accountId, plan.key, 'success'),
          cancel_url: returnUrl(options.appUrl, accountId, plan.key, 'canceled'),
        });
      } catch (error) {
        throw checkoutUnavailable(error);
      }
      if (!session.url) throw checkoutUnavailable(new Error(`session ${session.id} came back without a url`));
      return session.url;
    },
  };
}

/**
 * Where Stripe sends the browser back. `plan` tells the success page which plan to wait for;
 * `account` is only there because this example's app takes its signed-in account from the URL
 * (a product's session cookie does that job).
 */
function returnUrl(appUrl: string, accountId: string, plan: string, outcome: 'success' | 'canceled'): string {
  const url = new URL(appUrl);
  url.searchParams.set('account', accountId);
  url.searchParams.set('checkout', outcome);
  url.searchParams.set('plan', plan);
  return url.toString();
}

/** The `stripe` client's host, port and protocol from one URL. */
function apiBase(url: string): { host: string; port: number; protocol: 'http' | 'https' } {
  const parsed = new URL(url);
  const protocol = parsed.protocol === 'http:' ? 'http' : 'https';
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : protocol === 'http' ? 80 : 443, protocol };
}
