import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan, createAccount, ENTITLEMENT_QUERY, publishVersion, seedBasicCatalog } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.each(['postgresql', 'embedded'] as const)('on the %s database', (database) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ database });
    await seedBasicCatalog(t.admin);
    await createAccount(t.admin, 'free-co');
    await createAccount(t.admin, 'pro-co');
    await changePlan(t.admin, { accountId: 'pro-co', plan: 'pro' });
  });
  afterAll(() => t?.stop());

  async function entitlement(accountId: string, feature: string, amount?: number) {
    const { entitlement } = await t.admin.request(ENTITLEMENT_QUERY, { accountId, feature, amount });
    return entitlement;
  }

  describe('entitlement queries', () => {
    it('gives an account without a subscription the default plan', async () => {
      const seats = await entitlement('free-co', 'seats');
      expect(seats).toMatchObject({
        accountId: 'free-co', feature: 'seats', kind: 'QUANTITY', unit: 'seats', allowed: true, reason: 'INCLUDED_IN_PLAN',
        limit: 2, used: 0, remaining: 2, softLimitReached: false, resetsAt: null, plan: { key: 'free', name: 'FREE', version: 1 },
      });
      expect(seats.source.planVersionId).toEqual(expect.any(String));
    });

    it('denies what the plan does not include, saying so', async () => {
      expect(await entitlement('free-co', 'export_csv')).toMatchObject({ allowed: false, reason: 'NOT_IN_PLAN' });
    });

    it('answers LIMIT_REACHED when the requested amount is more than what is left', async () => {
      expect(await entitlement('free-co', 'seats', 3)).toMatchObject({ allowed: false, reason: 'LIMIT_REACHED', requested: 3, remaining: 2 });
      expect(await entitlement('free-co', 'seats', 2)).toMatchObject({ allowed: true });
    });

    it('gives metered features the end of their period as resetsAt', async () => {
      const calls = await entitlement('free-co', 'api_calls');
      const now = new Date();
      const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
      expect(new Date(calls.resetsAt).toISOString()).toBe(nextMonth.toISOString());
    });

    it('denies a feature whose requirement is missing, naming it', async () => {
      expect(await entitlement('pro-co', 'scim')).toMatchObject({ allowed: false, reason: 'MISSING_DEPENDENCY', missingFeatures: ['sso'] });
    });

    it('answers for every feature at once, in key order', async () => {
      const { entitlements } = await t.admin.request(
        `query { entitlements(accountId: "pro-co") { feature allowed reason } }`,
      );
      expect(entitlements).toEqual([
        { feature: 'api_calls', allowed: true, reason: 'INCLUDED_IN_PLAN' },
        { feature: 'export_csv', allowed: true, reason: 'INCLUDED_IN_PLAN' },
        { feature: 'scim', allowed: false, reason: 'MISSING_DEPENDENCY' },
        { feature: 'seats', allowed: true, reason: 'INCLUDED_IN_PLAN' },
        { feature: 'sso', allowed: false, reason: 'NOT_IN_PLAN' },
      ]);
    });

    it('refuses an unknown feature or account with a code, never a silent false', async () => {
      const feature = await t.admin.raw(ENTITLEMENT_QUERY, { accountId: 'free-co', feature: 'teleport' });
      expect(feature.errors[0]?.extensions).toMatchObject({ code: 'UNKNOWN_FEATURE', feature: 'teleport' });
      expect(feature.errors[0]?.message).toMatch(/createFeature/);
      const account = await t.admin.raw(ENTITLEMENT_QUERY, { accountId: 'nobody', feature: 'seats' });
      expect(account.errors[0]?.extensions).toMatchObject({ code: 'ACCOUNT_NOT_FOUND', accountId: 'nobody' });
    });

    it('refuses an amount below 1', async () => {
      const result = await t.admin.raw(ENTITLEMENT_QUERY, { accountId: 'free-co', feature: 'seats', amount: 0 });
      expect(result.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('keeps existing subscriptions on their version when a new one is published (grandfathering)', async () => {
      await createAccount(t.admin, 'early-bird');
      await changePlan(t.admin, { accountId: 'early-bird', plan: 'pro' });
      await publishVersion(t.admin, 'pro', [{ feature: 'export_csv' }, { feature: 'seats', limit: 5 }], { price: 4900 });
      await createAccount(t.admin, 'late-comer');
      await changePlan(t.admin, { accountId: 'late-comer', plan: 'pro' });

      expect(await entitlement('early-bird', 'seats')).toMatchObject({ limit: 20, plan: { key: 'pro', version: 1 } });
      expect(await entitlement('late-comer', 'seats')).toMatchObject({ limit: 5, plan: { key: 'pro', version: 2 } });

      await changePlan(t.admin, { accountId: 'early-bird', plan: 'pro', version: 2 });
      expect(await entitlement('early-bird', 'seats')).toMatchObject({ limit: 5, plan: { version: 2 } });
    });

    it('starts a trial of the version\'s trialDays and answers TRIAL until it ends', async () => {
      await createAccount(t.admin, 'trialist');
      const { changePlan: account } = await t.admin.request(
        `mutation { changePlan(input: { accountId: "trialist", plan: "pro", version: 1, trial: true }) {
          subscription { status trialEndsAt plan planVersion { version } } } }`,
      );
      expect(account.subscription).toMatchObject({ status: 'TRIALING', plan: 'pro', planVersion: { version: 1 } });
      const days = (new Date(account.subscription.trialEndsAt).getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(13.9);
      expect(days).toBeLessThanOrEqual(14);
      const csv = await entitlement('trialist', 'export_csv');
      expect(csv).toMatchObject({ allowed: true, reason: 'TRIAL', expiresAt: account.subscription.trialEndsAt });
    });

    it('refuses a trial of a version without trial days', async () => {
      const result = await t.admin.raw(`mutation { changePlan(input: { accountId: "free-co", plan: "pro", version: 2, trial: true }) { id } }`);
      expect(result.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors[0]?.message).toMatch(/trialDays/);
    });

    it('applies add-ons on top of the plan, multiplied by quantity', async () => {
      await t.admin.request(`mutation { createAddOn(input: {
        key: "seat_pack", name: "Seat pack", price: { amount: 500, currency: "USD" }, grants: [{ feature: "seats", limitIncrement: 5 }]
      }) { key } }`);
      await createAccount(t.admin, 'addon-co');
      await changePlan(t.admin, { accountId: 'addon-co', plan: 'pro', version: 1 });
      await t.admin.request(`mutation { setAddOn(accountId: "addon-co", addOn: "seat_pack", quantity: 3) { id } }`);
      expect(await entitlement('addon-co', 'seats')).toMatchObject({ limit: 35, source: { addOns: ['seat_pack'] } });
      await t.admin.request(`mutation { setAddOn(accountId: "addon-co", addOn: "seat_pack", quantity: 0) { id } }`);
      expect(await entitlement('addon-co', 'seats')).toMatchObject({ limit: 20, source: { addOns: [] } });
    });

    it('refuses add-ons for an account without a subscription', async () => {
      const result = await t.admin.raw(`mutation { setAddOn(accountId: "free-co", addOn: "seat_pack", quantity: 1) { id } }`);
      expect(result.errors[0]?.extensions?.code).toBe('SUBSCRIPTION_REQUIRED');
    });

    it('keeps access through a PAST_DUE grace period and drops to the default plan once canceled', async () => {
      await createAccount(t.admin, 'late-payer');
      await changePlan(t.admin, { accountId: 'late-payer', plan: 'pro', version: 1 });
      const grace = new Date(Date.now() + 3 * 86_400_000).toISOString();
      await t.admin.request(
        `mutation ($grace: DateTimeISO) { updateSubscriptionStatus(input: { accountId: "late-payer", status: PAST_DUE, graceEndsAt: $grace, reason: "card declined" }) { id } }`,
        { grace },
      );
      expect(await entitlement('late-payer', 'export_csv')).toMatchObject({ allowed: true });
      await t.admin.request(`mutation { updateSubscriptionStatus(input: { accountId: "late-payer", status: CANCELED, reason: "churned" }) { id } }`);
      expect(await entitlement('late-payer', 'export_csv')).toMatchObject({ allowed: false, reason: 'SUBSCRIPTION_INACTIVE' });
      expect(await entitlement('late-payer', 'seats')).toMatchObject({ allowed: true, limit: 2, plan: { key: 'free' } });
    });

    it('shows the account with its subscription, plan version and add-ons', async () => {
      const { account } = await t.admin.request(`{ account(id: "pro-co") { id name subscription { status plan planVersion { version plan } addOns { addOn quantity } } } }`);
      expect(account).toEqual({
        id: 'pro-co', name: 'pro-co',
        subscription: { status: 'ACTIVE', plan: 'pro', planVersion: { version: 1, plan: 'pro' }, addOns: [] },
      });
      const { account: missing } = await t.admin.request(`{ account(id: "ghost") { id } }`);
      expect(missing).toBeNull();
    });

    it('changes plans only to published versions', async () => {
      await t.admin.request(`mutation { createPlanVersion(input: { plan: "pro", price: { amount: 1, currency: "USD" }, entitlements: [] }) { version } }`);
      const draft = await t.admin.raw(`mutation { changePlan(input: { accountId: "free-co", plan: "pro", version: 3 }) { id } }`);
      expect(draft.errors[0]?.extensions?.code).toBe('PLAN_VERSION_NOT_PUBLISHED');
      const unknownPlan = await t.admin.raw(`mutation { changePlan(input: { accountId: "free-co", plan: "platinum" }) { id } }`);
      expect(unknownPlan.errors[0]?.extensions?.code).toBe('PLAN_NOT_FOUND');
      const unknownAccount = await t.admin.raw(`mutation { changePlan(input: { accountId: "ghost", plan: "pro" }) { id } }`);
      expect(unknownAccount.errors[0]?.extensions?.code).toBe('ACCOUNT_NOT_FOUND');
    });
  });
});
