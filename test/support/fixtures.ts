import type { GraphQLTestClient } from './graphql-client.js';

/** Creates a feature through the API. */
export async function createFeature(
  admin: GraphQLTestClient,
  input: { key: string; name?: string; kind: 'SWITCH' | 'QUANTITY' | 'METERED'; unit?: string; requires?: string[] },
): Promise<void> {
  await admin.request(
    `mutation ($input: CreateFeatureInput!) { createFeature(input: $input) { key } }`,
    { input: { name: input.key, ...input } },
  );
}

/** Creates a plan with one published version. */
export async function createPublishedPlan(
  admin: GraphQLTestClient,
  plan: { key: string; rank: number; isDefault?: boolean; price?: number; currency?: string; trialDays?: number },
  entitlements: Record<string, unknown>[],
): Promise<number> {
  await admin.request(`mutation ($input: CreatePlanInput!) { createPlan(input: $input) { key } }`, {
    input: { key: plan.key, name: plan.key.toUpperCase(), rank: plan.rank, isDefault: plan.isDefault ?? false },
  });
  return publishVersion(admin, plan.key, entitlements, plan);
}

/** Adds and publishes a new version of an existing plan; returns its number. */
export async function publishVersion(
  admin: GraphQLTestClient,
  planKey: string,
  entitlements: Record<string, unknown>[],
  options: { price?: number; currency?: string; trialDays?: number } = {},
): Promise<number> {
  const { createPlanVersion } = await admin.request<{ createPlanVersion: { version: number } }>(
    `mutation ($input: CreatePlanVersionInput!) { createPlanVersion(input: $input) { version } }`,
    {
      input: {
        plan: planKey,
        price: { amount: options.price ?? 0, currency: options.currency ?? 'USD' },
        trialDays: options.trialDays ?? 0,
        entitlements,
      },
    },
  );
  await admin.request(`mutation ($plan: String!, $version: Int!) { publishPlanVersion(plan: $plan, version: $version) { status } }`, {
    plan: planKey,
    version: createPlanVersion.version,
  });
  return createPlanVersion.version;
}

/** Creates an account. */
export async function createAccount(admin: GraphQLTestClient, id: string, name = id): Promise<void> {
  await admin.request(`mutation ($input: UpsertAccountInput!) { upsertAccount(input: $input) { id } }`, { input: { id, name } });
}

/** Puts an account on a plan. */
export async function changePlan(
  admin: GraphQLTestClient,
  input: { accountId: string; plan: string; version?: number; trial?: boolean },
): Promise<void> {
  await admin.request(`mutation ($input: ChangePlanInput!) { changePlan(input: $input) { id } }`, { input });
}

/**
 * The small catalog most tests share: a free default plan and a pro plan over a SWITCH, a
 * QUANTITY and a METERED feature, plus `scim` requiring `sso`.
 */
export async function seedBasicCatalog(admin: GraphQLTestClient): Promise<void> {
  await createFeature(admin, { key: 'export_csv', kind: 'SWITCH' });
  await createFeature(admin, { key: 'seats', kind: 'QUANTITY', unit: 'seats' });
  await createFeature(admin, { key: 'api_calls', kind: 'METERED', unit: 'calls' });
  await createFeature(admin, { key: 'sso', kind: 'SWITCH' });
  await createFeature(admin, { key: 'scim', kind: 'SWITCH', requires: ['sso'] });
  await createPublishedPlan(admin, { key: 'free', rank: 0, isDefault: true }, [
    { feature: 'seats', limit: 2 },
    { feature: 'api_calls', limit: 100, period: 'MONTH' },
  ]);
  await createPublishedPlan(admin, { key: 'pro', rank: 10, price: 2900, trialDays: 14 }, [
    { feature: 'export_csv' },
    { feature: 'seats', limit: 20 },
    { feature: 'api_calls', limit: 10000, period: 'MONTH' },
    { feature: 'scim' },
  ]);
}

/** The entitlement query with every field of the decision. */
export const ENTITLEMENT_QUERY = `
  query ($accountId: ID!, $feature: String!, $amount: Quantity) {
    entitlement(accountId: $accountId, feature: $feature, amount: $amount) {
      accountId feature featureName kind unit allowed reason limit used remaining requested
      softLimitReached resetsAt expiresAt missingFeatures
      source { planVersionId addOns overrideIds }
      plan { key name version }
    }
  }`;
