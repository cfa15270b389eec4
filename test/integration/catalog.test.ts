import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeature, createPublishedPlan, seedBasicCatalog } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  await seedBasicCatalog(t.admin);
});
afterAll(() => t?.stop());

const PLANS = `{ plans { key rank isDefault currentVersion { version status price { amount currency formatted } trialDays }
  versions { version status entitlements { feature enabled limit period softLimitPercent overage } } } }`;

describe('catalog', () => {
  it('lists features with their kind, unit and requirements', async () => {
    const { features } = await t.admin.request(`{ features { key kind unit requires } }`);
    expect(features).toContainEqual({ key: 'scim', kind: 'SWITCH', unit: null, requires: ['sso'] });
    expect(features).toContainEqual({ key: 'api_calls', kind: 'METERED', unit: 'calls', requires: [] });
  });

  it('lists plans by rank with versions, entitlements and formatted prices', async () => {
    const { plans } = await t.admin.request(PLANS);
    expect(plans.map((plan: any) => plan.key)).toEqual(['free', 'pro']);
    const pro = plans[1];
    expect(pro.currentVersion).toEqual({
      version: 1, status: 'PUBLISHED', price: { amount: 2900, currency: 'USD', formatted: '$29.00' }, trialDays: 14,
    });
    expect(pro.versions[0].entitlements).toContainEqual({
      feature: 'api_calls', enabled: true, limit: 10000, period: 'MONTH', softLimitPercent: 80, overage: 'BLOCK',
    });
    expect(plans[0].isDefault).toBe(true);
  });

  it('formats currencies without minor units as the currency does', async () => {
    await createPublishedPlan(t.admin, { key: 'tokyo', rank: 5, price: 500, currency: 'JPY' }, [{ feature: 'seats', limit: 3 }]);
    const { plans } = await t.admin.request(PLANS);
    const tokyo = plans.find((plan: any) => plan.key === 'tokyo');
    expect(tokyo.currentVersion.price.formatted).toBe('¥500');
  });

  it('creates drafts that can change until published, and refuses to change a published version', async () => {
    const draft = await t.admin.request(`mutation { createPlanVersion(input: {
      plan: "pro", price: { amount: 3900, currency: "USD" }, entitlements: [{ feature: "seats", limit: 25 }]
    }) { version status } }`);
    expect(draft.createPlanVersion).toEqual({ version: 2, status: 'DRAFT' });

    const updated = await t.admin.request(`mutation { updatePlanVersion(input: {
      plan: "pro", version: 2, entitlements: [{ feature: "seats", limit: 30 }]
    }) { entitlements { feature limit } } }`);
    expect(updated.updatePlanVersion.entitlements).toEqual([{ feature: 'seats', limit: 30 }]);

    const published = await t.admin.request(`mutation { publishPlanVersion(plan: "pro", version: 2) { status publishedAt } }`);
    expect(published.publishPlanVersion.status).toBe('PUBLISHED');

    const refused = await t.admin.raw(`mutation { updatePlanVersion(input: { plan: "pro", version: 2, trialDays: 3 }) { version } }`);
    expect(refused.errors[0]?.extensions?.code).toBe('PLAN_VERSION_IMMUTABLE');
    expect(refused.errors[0]?.message).toMatch(/createPlanVersion/);
    expect(await t.admin.errorCode(`mutation { publishPlanVersion(plan: "pro", version: 2) { status } }`)).toBe('PLAN_VERSION_IMMUTABLE');
  });

  it('refuses to publish a version that names an unknown feature, and keeps it a draft', async () => {
    await t.admin.request(`mutation { createPlanVersion(input: {
      plan: "free", price: { amount: 0, currency: "USD" }, entitlements: [{ feature: "teleport", limit: 1 }]
    }) { version } }`);
    const result = await t.admin.raw(`mutation { publishPlanVersion(plan: "free", version: 2) { status } }`);
    expect(result.errors[0]?.extensions).toMatchObject({ code: 'UNKNOWN_FEATURE', feature: 'teleport' });
    const { plans } = await t.admin.request(PLANS);
    const free = plans.find((plan: any) => plan.key === 'free');
    expect(free.versions.map((version: any) => version.status)).toEqual(['PUBLISHED', 'DRAFT']);
    expect(free.currentVersion.version).toBe(1);
  });

  it('refuses a limit on a SWITCH feature at publish time', async () => {
    await t.admin.request(`mutation { createPlan(input: { key: "odd", name: "Odd", rank: 3 }) { key } }`);
    await t.admin.request(`mutation { createPlanVersion(input: {
      plan: "odd", price: { amount: 0, currency: "USD" }, entitlements: [{ feature: "export_csv", limit: 5 }]
    }) { version } }`);
    const result = await t.admin.raw(`mutation { publishPlanVersion(plan: "odd", version: 1) { status } }`);
    expect(result.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors[0]?.message).toMatch(/SWITCH/);
  });

  it('moves the default mark when a new default plan is created', async () => {
    await t.admin.request(`mutation { createPlan(input: { key: "starter", name: "Starter", rank: 1, isDefault: true }) { isDefault } }`);
    const { plans } = await t.admin.request(`{ plans { key isDefault } }`);
    expect(plans.filter((plan: any) => plan.isDefault).map((plan: any) => plan.key)).toEqual(['starter']);
  });

  it('creates add-ons whose grants name existing features', async () => {
    const { createAddOn } = await t.admin.request(`mutation { createAddOn(input: {
      key: "more_seats", name: "More seats", price: { amount: 500, currency: "usd" },
      grants: [{ feature: "seats", limitIncrement: 5 }]
    }) { key price { amount currency formatted } grants { feature enable limitIncrement } } }`);
    expect(createAddOn).toEqual({
      key: 'more_seats',
      price: { amount: 500, currency: 'USD', formatted: '$5.00' },
      grants: [{ feature: 'seats', enable: false, limitIncrement: 5 }],
    });
    const unknown = await t.admin.raw(`mutation { createAddOn(input: {
      key: "warp", name: "Warp", price: { amount: 1, currency: "USD" }, grants: [{ feature: "warp_drive", enable: true }]
    }) { key } }`);
    expect(unknown.errors[0]?.extensions?.code).toBe('UNKNOWN_FEATURE');
  });

  it('rejects bad input with BAD_USER_INPUT naming each field, and writes nothing', async () => {
    const result = await t.admin.raw(`mutation { createFeature(input: { key: "Bad Key!", name: "", kind: SWITCH }) { key } }`);
    expect(result.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const fields = (result.errors[0]?.extensions?.fields as { path: string }[]).map((field) => field.path);
    expect(fields).toEqual(expect.arrayContaining(['key', 'name']));
    const { features } = await t.admin.request(`{ features { key } }`);
    expect(features.map((feature: any) => feature.key)).not.toContain('Bad Key!');
  });

  it('rejects negative limits, unknown currencies, unknown enum values and too-long strings', async () => {
    const negative = await t.admin.raw(`mutation { createPlanVersion(input: {
      plan: "pro", price: { amount: 100, currency: "USD" }, entitlements: [{ feature: "seats", limit: -1 }]
    }) { version } }`);
    expect(negative.errors[0]?.extensions?.code).toBe('QUANTITY_OUT_OF_RANGE');
    expect(negative.errors[0]?.message).toMatch(/Quantity cannot represent -1\. A quantity must be a whole number from 0 to 9007199254740991/);

    const currency = await t.admin.raw(`mutation { createPlanVersion(input: {
      plan: "pro", price: { amount: 100, currency: "XYZ1" }, entitlements: []
    }) { version } }`);
    expect(currency.errors[0]?.message).toMatch(/ISO 4217/);

    const enumValue = await t.admin.raw(`mutation { createFeature(input: { key: "x", name: "x", kind: TOGGLE }) { key } }`);
    expect(enumValue.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const long = await t.admin.raw(`mutation ($name: String!) { createFeature(input: { key: "long", name: $name, kind: SWITCH }) { key } }`, {
      name: 'n'.repeat(201),
    });
    expect(long.errors[0]?.message).toMatch(/name: must be at most 200 characters/);
  });

  it('refuses duplicate keys with ALREADY_EXISTS', async () => {
    await createFeature(t.admin, { key: 'dup', kind: 'SWITCH' });
    const result = await t.admin.raw(`mutation { createFeature(input: { key: "dup", name: "again", kind: SWITCH }) { key } }`);
    expect(result.errors[0]?.extensions?.code).toBe('ALREADY_EXISTS');
  });

  it('refuses a requirement on an unknown feature', async () => {
    const result = await t.admin.raw(`mutation { createFeature(input: { key: "needs", name: "n", kind: SWITCH, requires: ["ghost"] }) { key } }`);
    expect(result.errors[0]?.extensions).toMatchObject({ code: 'UNKNOWN_FEATURE', feature: 'ghost' });
  });
});
