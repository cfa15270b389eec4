import { createTollgate } from '@tollgate/sdk/server';
import { startNotesApi } from './notes-api.js';
import { createStripeCheckout } from './stripe-checkout.js';

/**
 * `npm start -w examples/host-api`: the notes API against the Tollgate of TOLLGATE_URL. With
 * STRIPE_API_KEY it sells plans through Stripe Checkout (STRIPE_API_BASE: a stand-in for Stripe's
 * API; APP_URL: where Stripe sends the browser back); without, upgradePlan changes them at once.
 */
const tollgateUrl = process.env.TOLLGATE_URL ?? 'http://127.0.0.1:4000/graphql';
const apiKey = process.env.TOLLGATE_SERVER_KEY;
if (!apiKey) {
  console.error('Set TOLLGATE_SERVER_KEY to a Tollgate server key (npm start prints one on first start).');
  process.exit(1);
}
const tollgate = createTollgate({ url: tollgateUrl, apiKey });
const stripeKey = process.env.STRIPE_API_KEY;
const appUrl = process.env.APP_URL ?? 'http://127.0.0.1:5173/';
const checkout = stripeKey
  ? createStripeCheckout({ tollgate, apiKey: stripeKey, apiBase: process.env.STRIPE_API_BASE || undefined, appUrl })
  : undefined;
const api = await startNotesApi({ tollgate, checkout, port: Number(process.env.PORT ?? 4001) });
console.log(`Notes API on ${api.url}/graphql (send x-account-id), using Tollgate at ${tollgateUrl}`);
console.log(
  checkout
    ? `Checkout: Stripe Checkout${process.env.STRIPE_API_BASE ? ` at ${process.env.STRIPE_API_BASE}` : ''}, back to ${appUrl}`
    : 'Checkout: none (set STRIPE_API_KEY to sell plans through Stripe Checkout); upgradePlan changes plans at once',
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void api.close().then(() => process.exit(0)));
