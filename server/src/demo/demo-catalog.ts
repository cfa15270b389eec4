/**
 * The demo catalog seeded into an empty database: three plans, features of every kind (one
 * with `requires`), an add-on, and an account on the free plan. Written as GraphQL inputs, the
 * same shapes an admin would send, so it doubles as an example.
 */
import type { UpsertAccountValues } from '../accounts/index.js';
import type { CreateAddOnValues, CreateFeatureValues, CreatePlanValues, CreatePlanVersionValues } from '../catalog/index.js';

export const demoFeatures: CreateFeatureValues[] = [
  { key: 'api_calls', name: 'API calls', kind: 'METERED', unit: 'calls', description: 'Requests to the public API per month.' },
  { key: 'projects', name: 'Projects', kind: 'QUANTITY', unit: 'projects', description: 'Projects an account can hold at once.' },
  { key: 'notes', name: 'Notes', kind: 'QUANTITY', unit: 'notes', description: 'Notes an account can keep (used by examples/).' },
  { key: 'seats', name: 'Seats', kind: 'QUANTITY', unit: 'seats', description: 'Members of the account.' },
  { key: 'export_csv', name: 'CSV export', kind: 'SWITCH', description: 'Download data as CSV.' },
  { key: 'sso', name: 'Single sign-on', kind: 'SWITCH', description: 'SAML and OIDC sign-in.' },
  { key: 'scim', name: 'SCIM provisioning', kind: 'SWITCH', description: 'Automatic user provisioning.', requires: ['sso'] },
];

/**
 * The Stripe prices of the paid demo plans, so that the example app's checkout works end to end
 * against the tests' local stand-in for Stripe. Stripe names its own prices (`price_1Q…`): with a
 * real Stripe test account, publish a new version whose billingPriceIds are your prices' ids.
 */
export const demoPrices = {
  proMonthly: 'price_demo_pro_monthly',
  enterpriseMonthly: 'price_demo_enterprise_monthly',
} as const;

/** A plan and its first version, published by the seed. */
export interface DemoPlan {
  plan: CreatePlanValues;
  version: Omit<CreatePlanVersionValues, 'plan'>;
}

export const demoPlans: DemoPlan[] = [
  {
    plan: { key: 'free', name: 'Free', rank: 0, isDefault: true, description: 'For trying things out.' },
    version: {
      price: { amount: 0, currency: 'USD' },
      entitlements: [
        { feature: 'api_calls', limit: 1000, period: 'MONTH' },
        { feature: 'projects', limit: 3 },
        { feature: 'notes', limit: 5 },
        { feature: 'seats', limit: 2 },
        { feature: 'export_csv', enabled: false },
      ],
    },
  },
  {
    plan: { key: 'pro', name: 'Pro', rank: 10, description: 'For growing teams.' },
    version: {
      price: { amount: 2900, currency: 'USD' },
      trialDays: 14,
      // What the example host API's checkout charges (see demoPrices).
      billingPriceIds: [demoPrices.proMonthly],
      entitlements: [
        { feature: 'api_calls', limit: 100000, period: 'MONTH' },
        { feature: 'projects', limit: 50 },
        { feature: 'notes', limit: 1000 },
        { feature: 'seats', limit: 20 },
        { feature: 'export_csv' },
      ],
    },
  },
  {
    plan: { key: 'enterprise', name: 'Enterprise', rank: 20, description: 'For organisations with SSO.' },
    version: {
      price: { amount: 49900, currency: 'USD' },
      billingPriceIds: [demoPrices.enterpriseMonthly],
      entitlements: [
        { feature: 'api_calls', limit: null, period: 'MONTH' },
        { feature: 'projects', limit: null },
        { feature: 'notes', limit: null },
        { feature: 'seats', limit: null },
        { feature: 'export_csv' },
        { feature: 'sso' },
        { feature: 'scim' },
      ],
    },
  },
];

export const demoAddOns: CreateAddOnValues[] = [
  {
    key: 'api_calls_boost',
    name: 'API calls boost',
    description: '25,000 more API calls a month.',
    price: { amount: 1000, currency: 'USD' },
    grants: [{ feature: 'api_calls', limitIncrement: 25000 }],
  },
];

export const demoAccount = { id: 'acme', name: 'Acme Inc.' } satisfies UpsertAccountValues;

/** What a demo account's subscription is doing, so the console has every phase to show. */
export type DemoPhase = 'ACTIVE' | 'TRIAL' | 'PAST_DUE' | 'CANCELING';

/**
 * More accounts for the console to operate: a paying customer (with an override), a trial (with
 * an override request waiting), one past due and one canceling, with metadata worth searching.
 * Acme (above) stays exactly as it was, on the free plan without overrides: the README's tour and
 * the example app start from it.
 */
export const demoAccounts: { account: UpsertAccountValues; plan: string; phase: DemoPhase }[] = [
  { account: { id: 'globex', name: 'Globex Corporation', metadata: { industry: 'Energy', region: 'EMEA', salesOwner: 'Hank Scorpio' } }, plan: 'pro', phase: 'ACTIVE' },
  { account: { id: 'initech', name: 'Initech', metadata: { industry: 'Software', region: 'US', salesOwner: 'Dana Whitfield' } }, plan: 'pro', phase: 'TRIAL' },
  { account: { id: 'umbrella', name: 'Umbrella Corp', metadata: { industry: 'Pharmaceuticals', region: 'APAC' } }, plan: 'enterprise', phase: 'PAST_DUE' },
  { account: { id: 'hooli', name: 'Hooli', metadata: { industry: 'Internet', region: 'US' } }, plan: 'pro', phase: 'CANCELING' },
];

/** The demo OWNER, who signs in to the console with the one-time link printed at the first start. */
export const demoOwner = { email: 'owner@example.com', name: 'Demo Owner', role: 'OWNER' } as const;
