import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotesApi, type NotesApi } from '../../examples/host-api/dist/notes-api.js';
import { createStripeCheckout } from '../../examples/host-api/dist/stripe-checkout.js';
import { createTollgate, type TollgateClient } from '../../client-sdk/dist/server/index.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { deliver, startStripeStandIn, stripeEvent, TEST_WEBHOOK_SECRET, type StripeStandIn } from '../support/stripe.js';
import { SUBSCRIPTION_STATE, seedStripeCatalog, stripePrices } from '../support/stripe-catalog.js';

/**
 * The example host API's checkout (examples/host-api/src/stripe-checkout.ts) against a real
 * Tollgate and a local stand-in for Stripe's API (Stripe cannot be reached from here): the
 * session it opens, what it refuses, the whole path through the stand-in's Pay page and the
 * signed webhook, and the fallback without Stripe.
 */
const APP_URL = 'http://app.test/';
const START = `mutation ($plan: String!) { startCheckout(plan: $plan) }`;
const UPGRADE = `mutation ($plan: String!) { upgradePlan(plan: $plan) }`;

let t: TestServer;
let standIn: StripeStandIn;
let tollgate: TollgateClient;
let withStripe: NotesApi;
let withoutStripe: NotesApi;

beforeAll(async () => {
  standIn = await startStripeStandIn();
  t = await startTestServer({ stripe: { webhookSecret: TEST_WEBHOOK_SECRET, apiKey: 'sk_test_tollgate_standin', apiBase: standIn.url } });
  // free (no price), pro (monthly, then yearly) and team, as Tollgate's Stripe tests have them.
  await seedStripeCatalog(t.admin);
  const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "notes backend", role: SERVER }) { secret } }`);
  tollgate = createTollgate({ url: t.server.graphqlUrl, apiKey: createApiKey.secret });
  const checkout = createStripeCheckout({ tollgate, apiKey: 'sk_test_notes_standin', apiBase: standIn.url, appUrl: APP_URL });
  withStripe = await startNotesApi({ tollgate, checkout });
  withoutStripe = await startNotesApi({ tollgate });
});
afterAll(async () => {
  await withStripe?.close();
  await withoutStripe?.close();
  await t?.stop();
  await standIn?.close();
});

const asAccount = (accountId: string, api: NotesApi = withStripe) => new GraphQLTestClient(`${api.url}/graphql`, null, { 'x-account-id': accountId });
const accountState = async (accountId: string) =>
  (await t.admin.request(`query ($id: ID!) { account(id: $id) { ${SUBSCRIPTION_STATE} } }`, { id: accountId })).account;
const sessionOf = (url: string) => standIn.checkoutSessions.get(new URL(url).pathname.split('/').pop()!)!;

describe('the example host API\'s Stripe Checkout', () => {
  it('opens a Checkout Session for the plan\'s first Stripe price in Tollgate, naming the signed-in account', async () => {
    const acme = asAccount('checkout-acme');
    expect((await acme.request(`{ checkoutMode }`)).checkoutMode).toBe('STRIPE_CHECKOUT');

    const { startCheckout: url } = await acme.request(START, { plan: 'pro' });
    expect(url).toMatch(new RegExp(`^${standIn.url}/checkout/cs_test_\\w+$`));
    expect(standIn.requests).toContain('POST /v1/checkout/sessions');
    const session = sessionOf(url);
    expect(session).toMatchObject({
      object: 'checkout.session',
      mode: 'subscription',
      status: 'open',
      client_reference_id: 'checkout-acme',
      success_url: `${APP_URL}?account=checkout-acme&checkout=success&plan=pro`,
      cancel_url: `${APP_URL}?account=checkout-acme&checkout=canceled&plan=pro`,
    });
    expect(standIn.checkoutLineItems.get(session.id)).toEqual([{ price: stripePrices.proMonthly, quantity: 1 }]);

    const team = sessionOf((await acme.request(START, { plan: 'team' })).startCheckout);
    expect(standIn.checkoutLineItems.get(team.id)).toEqual([{ price: stripePrices.teamMonthly, quantity: 1 }]);
  });

  it('refuses a plan Tollgate does not publish, and one without a Stripe price, saying which plans are for sale', async () => {
    const before = standIn.checkoutSessions.size;
    const unknown = await asAccount('checkout-acme').raw(START, { plan: 'platinum' });
    expect(unknown.errors[0]).toMatchObject({
      message: 'No published plan "platinum" in Tollgate. Plans for sale: pro, team.',
      extensions: { code: 'PLAN_NOT_FOUND', plan: 'platinum' },
    });
    const free = await asAccount('checkout-acme').raw(START, { plan: 'free' });
    expect(free.errors[0]?.extensions).toMatchObject({ code: 'PLAN_NOT_FOR_SALE', plan: 'free' });
    expect(free.errors[0]?.message).toMatch(/^Plan "free" has no Stripe price in Tollgate, so Checkout cannot sell it\. Plans for sale: pro, team\./);
    expect(standIn.checkoutSessions.size).toBe(before);
  });

  it('answers CHECKOUT_UNAVAILABLE when Stripe cannot be reached, and nothing is sold', async () => {
    const unreachable = createStripeCheckout({ tollgate, apiKey: 'sk_test_notes_standin', apiBase: 'http://127.0.0.1:9', appUrl: APP_URL });
    const api = await startNotesApi({ tollgate, checkout: unreachable });
    try {
      const result = await asAccount('checkout-down', api).raw(START, { plan: 'pro' });
      expect(result.errors[0]?.extensions?.code).toBe('CHECKOUT_UNAVAILABLE');
      expect(result.errors[0]?.message).toMatch(/^Stripe did not open a checkout \(.+\)\. Nothing was charged: try again in a moment\.$/);
    } finally {
      await api.close();
    }
  });

  it('refuses upgradePlan while plans are sold through Stripe, so no plan is given away', async () => {
    const result = await asAccount('checkout-free-rider').raw(UPGRADE, { plan: 'pro' });
    expect(result.errors[0]?.extensions?.code).toBe('CHECKOUT_REQUIRED');
    expect((await accountState('checkout-free-rider')).subscription).toBeNull();
  });

  it('moves the account to the plan once the session is paid and Stripe\'s signed webhook arrives', async () => {
    const { startCheckout: url } = await asAccount('checkout-globex').request(START, { plan: 'pro' });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<button type="submit">Pay</button>');
    const paid = await fetch(`${url}/pay`, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`${APP_URL}?account=checkout-globex&checkout=success&plan=pro`);

    const session = sessionOf(url);
    expect(session).toMatchObject({ status: 'complete', payment_status: 'paid', customer: expect.stringMatching(/^cus_/), subscription: expect.stringMatching(/^sub_/) });
    // subscription_data.metadata names the account on the subscription, so its later events map too.
    expect(standIn.subscriptions.get(session.subscription)).toMatchObject({ status: 'active', metadata: { tollgate_account_id: 'checkout-globex' } });
    expect((await accountState('checkout-globex')).subscription).toBeNull();

    const answer = await deliver(t.url, stripeEvent('evt_checkout_globex', 'checkout.session.completed', Math.floor(Date.now() / 1000), session));
    expect(answer).toMatchObject({ status: 200, body: { outcome: 'APPLIED' } });
    expect(await accountState('checkout-globex')).toMatchObject({
      billingCustomerIds: [session.customer],
      subscription: {
        status: 'ACTIVE',
        plan: 'pro',
        billingProviderIds: { stripeCustomerId: session.customer, stripeSubscriptionId: session.subscription },
      },
    });
    // Paid once, over: the page says so and a second payment is refused.
    expect((await fetch(`${url}/pay`, { method: 'POST', redirect: 'manual' })).status).toBe(409);
  });

  it('falls back to upgradePlan without STRIPE_API_KEY, and says so', async () => {
    const initech = asAccount('checkout-initech', withoutStripe);
    expect((await initech.request(`{ checkoutMode }`)).checkoutMode).toBe('DIRECT');
    const refused = await initech.raw(START, { plan: 'pro' });
    expect(refused.errors[0]?.extensions?.code).toBe('CHECKOUT_NOT_CONFIGURED');
    expect(refused.errors[0]?.message).toMatch(/started without STRIPE_API_KEY.*Call upgradePlan instead/);
    expect((await initech.request(UPGRADE, { plan: 'pro' })).upgradePlan).toBe(true);
    expect((await accountState('checkout-initech')).subscription).toMatchObject({ plan: 'pro', billingProviderIds: { stripeCustomerId: null, stripeSubscriptionId: null } });
  });
});
