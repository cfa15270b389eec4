import { changePlan, createAccount, createFeature, createPublishedPlan } from './fixtures.js';
import type { GraphQLTestClient } from './graphql-client.js';

/**
 * The catalog the hostile-input property runs on: every feature kind, BLOCK and ALLOW overage,
 * limits at 2^31-1 and unlimited ones, a plan with a trial, a plan left in DRAFT, and add-ons.
 * Small on purpose: generated requests name these keys often, so they get past "unknown key"
 * and into counting, evaluating and offering.
 */
export const hostileCatalog = {
  features: {
    flag: 'SWITCH',
    sso: 'SWITCH',
    scim: 'SWITCH',
    seats: 'QUANTITY',
    storage: 'QUANTITY',
    calls: 'METERED',
    tokens: 'METERED',
  },
  plans: ['free', 'pro', 'max', 'drafts'],
  addOns: ['more_calls', 'flag_pack', 'more_tokens'],
} as const;

export type CatalogFeatureKey = keyof typeof hostileCatalog.features;

/** Every seeded feature key. */
export const featureKeys = Object.keys(hostileCatalog.features) as CatalogFeatureKey[];

/** Seeded features that count: QUANTITY and METERED. */
export const countedFeatureKeys = featureKeys.filter((key) => hostileCatalog.features[key] !== 'SWITCH');

/** Creates {@link hostileCatalog} through the API. */
export async function seedHostileCatalog(admin: GraphQLTestClient): Promise<void> {
  for (const [key, kind] of Object.entries(hostileCatalog.features)) {
    await createFeature(admin, { key, kind, ...(key === 'scim' ? { requires: ['sso'] } : {}) });
  }
  await createPublishedPlan(admin, { key: 'free', rank: 0, isDefault: true }, [
    { feature: 'seats', limit: 3 },
    { feature: 'storage', limit: 10, overage: 'ALLOW' },
    { feature: 'calls', limit: 100, period: 'MONTH' },
    { feature: 'tokens', limit: 1000, period: 'DAY', overage: 'ALLOW' },
  ]);
  await createPublishedPlan(admin, { key: 'pro', rank: 10, price: 2900, trialDays: 14 }, [
    { feature: 'flag' },
    { feature: 'sso' },
    { feature: 'scim' },
    { feature: 'seats', limit: 2_147_483_647 },
    { feature: 'storage' },
    { feature: 'calls', limit: 2_147_483_647, period: 'MONTH' },
    { feature: 'tokens', period: 'MONTH' },
  ]);
  await createPublishedPlan(admin, { key: 'max', rank: 20, price: 99_900 }, [
    { feature: 'flag' },
    { feature: 'seats' },
    { feature: 'storage', limit: 1000, overage: 'ALLOW' },
    { feature: 'calls', limit: 1000, period: 'NEVER', overage: 'ALLOW' },
    { feature: 'tokens', limit: 2_147_483_647, period: 'YEAR', overage: 'ALLOW' },
  ]);
  await admin.request(`mutation { createPlan(input: { key: "drafts", name: "Drafts", rank: 5 }) { key } }`);
  await admin.request(
    `mutation { createPlanVersion(input: { plan: "drafts", price: { amount: 100, currency: "EUR" },
      entitlements: [{ feature: "calls", limit: 50 }] }) { version } }`,
  );
  const addOn = `mutation ($input: CreateAddOnInput!) { createAddOn(input: $input) { key } }`;
  await admin.request(addOn, { input: { key: 'more_calls', name: 'More calls', price: { amount: 500, currency: 'USD' }, grants: [{ feature: 'calls', limitIncrement: 1000 }] } });
  await admin.request(addOn, { input: { key: 'flag_pack', name: 'Flag pack', price: { amount: 100, currency: 'USD' }, grants: [{ feature: 'flag', enable: true }] } });
  await admin.request(addOn, { input: { key: 'more_tokens', name: 'More tokens', price: { amount: 900, currency: 'USD' }, grants: [{ feature: 'tokens', limitIncrement: 1_000_000 }] } });
}

/**
 * Three fresh accounts for one run of the property: on `pro` (BLOCK at 2^31-1, unlimited
 * tokens), on `max` (ALLOW overage) and on the default plan (no subscription).
 */
export async function createRunAccounts(admin: GraphQLTestClient, prefix: string): Promise<string[]> {
  const ids = [`${prefix}-pro`, `${prefix}-max`, `${prefix}-free`];
  for (const id of ids) await createAccount(admin, id);
  await changePlan(admin, { accountId: ids[0]!, plan: 'pro' });
  await changePlan(admin, { accountId: ids[1]!, plan: 'max' });
  return ids;
}
