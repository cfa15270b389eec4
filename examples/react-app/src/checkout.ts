import type { ApolloClient } from '@apollo/client';
import { CHECKOUT_MODE, START_CHECKOUT, UPGRADE_PLAN } from './host-api.js';

/**
 * Buys `plan` the way the host API sells plans. With Stripe Checkout, the host opens a session
 * and the browser leaves for Stripe's page; the plan changes later, when Stripe's webhook reaches
 * Tollgate, and the success page waits for it (CheckoutStatus). Without Stripe, the host changes
 * the plan at once and this resolves when it has.
 *
 * @example
 * <TollgateProvider onUpgrade={(offer) => buyPlan(host, offer.key)} …>
 */
export async function buyPlan(host: ApolloClient, plan: string): Promise<void> {
  const { data } = await host.query({ query: CHECKOUT_MODE });
  if (data?.checkoutMode !== 'STRIPE_CHECKOUT') {
    await host.mutate({ mutation: UPGRADE_PLAN, variables: { plan } });
    return;
  }
  const { data: started } = await host.mutate({ mutation: START_CHECKOUT, variables: { plan } });
  // Back from Stripe's page with the browser's Back button, a page restored from the back-forward
  // cache would still say "Upgrading…": load it afresh instead.
  window.addEventListener('pageshow', (event) => event.persisted && window.location.reload(), { once: true });
  window.location.assign(started!.startCheckout);
  // The page is leaving for Stripe: stay pending, so the offer keeps saying "Upgrading…" until it
  // is gone, and no refresh starts on a page being unloaded.
  await new Promise<never>(() => {});
}

/** What the URL says when Stripe sent the browser back: `?checkout=success&plan=pro` or `?checkout=canceled`. */
export interface CheckoutReturn {
  outcome: 'success' | 'canceled';
  /** The plan bought, to wait for; null when the URL does not say. */
  plan: string | null;
}

/** Reads a return from Stripe Checkout out of a query string; null when this is not one. */
export function readCheckoutReturn(search: string): CheckoutReturn | null {
  const params = new URLSearchParams(search);
  const outcome = params.get('checkout');
  if (outcome !== 'success' && outcome !== 'canceled') return null;
  return { outcome, plan: params.get('plan') };
}

/** Takes `checkout` and `plan` out of the address bar (no reload), so a later reload is a plain visit. */
export function forgetCheckoutReturn(): void {
  const url = new URL(window.location.href);
  url.searchParams.delete('checkout');
  url.searchParams.delete('plan');
  window.history.replaceState(window.history.state, '', url);
}
