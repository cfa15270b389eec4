import { GraphQLError } from 'graphql';

/** The plans a checkout can sell, for messages: those with a Stripe price in Tollgate. */
function forSale(plans: { key: string; billingPriceIds: string[] }[]): string {
  const keys = plans.filter((plan) => plan.billingPriceIds.length > 0).map((plan) => plan.key);
  return keys.length ? keys.join(', ') : 'none (no published plan has a Stripe price yet)';
}

/** startCheckout named a plan Tollgate has not published. */
export function unknownPlan(plan: string, plans: { key: string; billingPriceIds: string[] }[]): GraphQLError {
  return new GraphQLError(`No published plan "${plan}" in Tollgate. Plans for sale: ${forSale(plans)}.`, {
    extensions: { code: 'PLAN_NOT_FOUND', plan },
  });
}

/** The plan exists, but its version has no Stripe price, so Checkout has nothing to charge. */
export function planNotForSale(plan: string, plans: { key: string; billingPriceIds: string[] }[]): GraphQLError {
  return new GraphQLError(
    `Plan "${plan}" has no Stripe price in Tollgate, so Checkout cannot sell it. Plans for sale: ${forSale(plans)}. ` +
      'An admin maps prices with billingPriceIds on a plan version.',
    { extensions: { code: 'PLAN_NOT_FOR_SALE', plan } },
  );
}

/** Stripe refused or could not be reached: nothing was bought, the person may try again. */
export function checkoutUnavailable(cause: unknown): GraphQLError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new GraphQLError(`Stripe did not open a checkout (${detail}). Nothing was charged: try again in a moment.`, {
    extensions: { code: 'CHECKOUT_UNAVAILABLE', http: { status: 502 } },
    originalError: cause instanceof Error ? cause : undefined,
  });
}

/** startCheckout on an API started without STRIPE_API_KEY. */
export function checkoutNotConfigured(): GraphQLError {
  return new GraphQLError(
    'This notes API takes no payments: it was started without STRIPE_API_KEY (checkoutMode is DIRECT). Call upgradePlan instead, or set STRIPE_API_KEY.',
    { extensions: { code: 'CHECKOUT_NOT_CONFIGURED' } },
  );
}

/** upgradePlan on an API that sells plans through Stripe: a free plan change would skip the payment. */
export function checkoutRequired(): GraphQLError {
  return new GraphQLError(
    'Plans are bought through Stripe Checkout here (checkoutMode is STRIPE_CHECKOUT): call startCheckout(plan) and send the browser to the URL it returns.',
    { extensions: { code: 'CHECKOUT_REQUIRED' } },
  );
}
