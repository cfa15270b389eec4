import { createAccount, createFeature } from './fixtures.js';
import type { GraphQLTestClient } from './graphql-client.js';

/**
 * The catalog the Stripe tests run on, with the prices of test/fixtures/stripe/: a free default
 * plan; pro (a monthly and a yearly price, 14-day trial, 3 days of past-due grace); team (one
 * price, the server's default grace); and a seats add-on of 5 seats a unit.
 */
export const stripePrices = {
  proMonthly: 'price_1QProMonthly',
  proYearly: 'price_1QProYearly',
  teamMonthly: 'price_1QTeamMonthly',
  seatsPack: 'price_1QSeatsPack',
} as const;

/** Creates and publishes a plan version with Stripe prices; returns its number. */
export async function publishPricedVersion(
  admin: GraphQLTestClient,
  input: { plan: string; price: number; interval?: 'MONTH' | 'YEAR'; trialDays?: number; pastDueGraceDays?: number | null; billingPriceIds: string[]; entitlements: Record<string, unknown>[] },
): Promise<number> {
  const { createPlanVersion } = await admin.request<{ createPlanVersion: { version: number } }>(
    `mutation ($input: CreatePlanVersionInput!) { createPlanVersion(input: $input) { version } }`,
    { input: { ...input, price: { amount: input.price, currency: 'USD' } } },
  );
  await admin.request(`mutation ($plan: String!, $version: Int!) { publishPlanVersion(plan: $plan, version: $version) { status } }`, {
    plan: input.plan,
    version: createPlanVersion.version,
  });
  return createPlanVersion.version;
}

/** Seeds the Stripe tests' catalog. */
export async function seedStripeCatalog(admin: GraphQLTestClient): Promise<void> {
  await createFeature(admin, { key: 'seats', kind: 'QUANTITY', unit: 'seats' });
  await createFeature(admin, { key: 'export_csv', kind: 'SWITCH' });
  const plan = (key: string, rank: number, isDefault = false) =>
    admin.request(`mutation ($input: CreatePlanInput!) { createPlan(input: $input) { key } }`, {
      input: { key, name: key.toUpperCase(), rank, isDefault },
    });
  await plan('free', 0, true);
  await publishPricedVersion(admin, { plan: 'free', price: 0, billingPriceIds: [], entitlements: [{ feature: 'seats', limit: 2 }] });
  await plan('pro', 10);
  await publishPricedVersion(admin, {
    plan: 'pro',
    price: 2900,
    trialDays: 14,
    pastDueGraceDays: 3,
    billingPriceIds: [stripePrices.proMonthly, stripePrices.proYearly],
    entitlements: [{ feature: 'seats', limit: 10 }, { feature: 'export_csv' }],
  });
  await plan('team', 20);
  await publishPricedVersion(admin, {
    plan: 'team',
    price: 9900,
    billingPriceIds: [stripePrices.teamMonthly],
    entitlements: [{ feature: 'seats', limit: 50 }, { feature: 'export_csv' }],
  });
  await admin.request(`mutation ($input: CreateAddOnInput!) { createAddOn(input: $input) { key } }`, {
    input: {
      key: 'seats_pack',
      name: '5 extra seats',
      price: { amount: 1000, currency: 'USD' },
      billingPriceId: stripePrices.seatsPack,
      grants: [{ feature: 'seats', limitIncrement: 5 }],
    },
  });
}

/** Everything the Stripe tests compare of an account's subscription. */
export const SUBSCRIPTION_STATE = `
  billingCustomerIds
  subscription {
    status phase plan planVersion { version } trialEndsAt graceEndsAt convertedAt currentPeriodStart currentPeriodEnd
    cancelAtPeriodEnd canceledAt addOns { addOn quantity } scheduledChange { plan }
    billingProviderIds { stripeCustomerId stripeSubscriptionId }
  }`;

/** Creates the accounts Stripe events name. */
export async function createAccounts(admin: GraphQLTestClient, ids: string[]): Promise<void> {
  for (const id of ids) await createAccount(admin, id);
}
