import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan, createAccount, createFeature, createPublishedPlan } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  await createFeature(t.admin, { key: 'api_calls', kind: 'METERED' });
  await createFeature(t.admin, { key: 'export_csv', kind: 'SWITCH' });
  await createFeature(t.admin, { key: 'sso', kind: 'SWITCH' });
  await createPublishedPlan(t.admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'api_calls', limit: 100 }]);
  await createPublishedPlan(t.admin, { key: 'pro', rank: 10, price: 2900 }, [{ feature: 'api_calls', limit: 10000 }, { feature: 'export_csv' }]);
  await createPublishedPlan(t.admin, { key: 'enterprise', rank: 20, price: 49900 }, [
    { feature: 'api_calls', limit: null }, { feature: 'export_csv' }, { feature: 'sso' },
  ]);
  await t.admin.request(`mutation { createAddOn(input: { key: "calls_boost", name: "Calls boost", price: { amount: 1000, currency: "USD" },
    grants: [{ feature: "api_calls", limitIncrement: 1000 }] }) { key } }`);
  await createAccount(t.admin, 'free-co');
  await createAccount(t.admin, 'pro-co');
  await changePlan(t.admin, { accountId: 'pro-co', plan: 'pro' });
  await setUsage('free-co', 100);
  await setUsage('pro-co', 10000);
});
afterAll(() => t?.stop());

async function setUsage(accountId: string, value: number) {
  await t.admin.request(`mutation ($accountId: ID!, $value: Quantity!) { setUsage(input: { accountId: $accountId, feature: "api_calls", value: $value, reason: "test" }) { used } }`, { accountId, value });
}

const OFFERS = `query ($accountId: ID!, $feature: String!, $amount: Quantity) {
  upgradeOffers(accountId: $accountId, feature: $feature, amount: $amount) {
    kind key name version quantity interval newLimit unlocks recommended
    price { amount currency formatted } priceDifference { amount formatted }
  }
}`;
const offers = async (accountId: string, feature: string, amount?: number) =>
  (await t.admin.request(OFFERS, { accountId, feature, amount })).upgradeOffers as any[];

describe('upgrade offers', () => {
  it('offers a free account at its limit pro, then enterprise, with exact prices and one recommended', async () => {
    expect(await offers('free-co', 'api_calls')).toEqual([
      {
        kind: 'PLAN', key: 'pro', name: 'PRO', version: 1, quantity: 1, interval: 'MONTH', newLimit: 10000, unlocks: ['export_csv'],
        recommended: true, price: { amount: 2900, currency: 'USD', formatted: '$29.00' }, priceDifference: { amount: 2900, formatted: '$29.00' },
      },
      {
        kind: 'PLAN', key: 'enterprise', name: 'ENTERPRISE', version: 1, quantity: 1, interval: 'MONTH', newLimit: null,
        unlocks: ['export_csv', 'sso'], recommended: false,
        price: { amount: 49900, currency: 'USD', formatted: '$499.00' }, priceDifference: { amount: 49900, formatted: '$499.00' },
      },
    ]);
  });

  it('offers only what allows the amount asked for', async () => {
    const result = await offers('free-co', 'api_calls', 20000);
    expect(result.map((offer) => [offer.key, offer.recommended])).toEqual([['enterprise', true]]);
  });

  it('offers an add-on that lifts the limit, first when it is cheaper', async () => {
    const small = await offers('pro-co', 'api_calls', 5000);
    expect(small.map((offer) => [offer.kind, offer.key, offer.quantity, offer.price.amount, offer.priceDifference.amount, offer.newLimit, offer.recommended])).toEqual([
      ['ADD_ON', 'calls_boost', 5, 5000, 5000, 15000, true],
      ['PLAN', 'enterprise', 1, 49900, 47000, null, false],
    ]);
    const large = await offers('pro-co', 'api_calls', 100000);
    expect(large.map((offer) => [offer.key, offer.quantity, offer.priceDifference.amount])).toEqual([
      ['enterprise', 1, 47000],
      ['calls_boost', 100, 100000],
    ]);
  });

  it('offers plans that include a SWITCH feature the account lacks', async () => {
    expect((await offers('free-co', 'export_csv')).map((offer) => [offer.key, offer.recommended])).toEqual([['pro', true], ['enterprise', false]]);
  });

  it('offers nothing when the request is already allowed', async () => {
    expect(await offers('pro-co', 'export_csv')).toEqual([]);
    await setUsage('free-co', 10);
    expect(await offers('free-co', 'api_calls')).toEqual([]);
    await setUsage('free-co', 100);
  });

  it('offers nothing when nothing in the catalog would help', async () => {
    await createFeature(t.admin, { key: 'teleport', kind: 'SWITCH' });
    expect(await offers('free-co', 'teleport')).toEqual([]);
  });

  it('finds offers in the catalog, not in plan names: a new plan is offered at once', async () => {
    await createPublishedPlan(t.admin, { key: 'growth', rank: 5, price: 1500 }, [{ feature: 'api_calls', limit: 5000 }]);
    const result = await offers('free-co', 'api_calls');
    expect(result.map((offer) => [offer.key, offer.price.formatted, offer.recommended])).toEqual([
      ['growth', '$15.00', true], ['pro', '$29.00', false], ['enterprise', '$499.00', false],
    ]);
  });

  it('returns the offers with a refused consume', async () => {
    const { consume } = await t.admin.request(`mutation { consume(input: { accountId: "free-co", feature: "api_calls", idempotencyKey: "over" }) {
      ok entitlement { reason } offers { key recommended } } }`);
    expect(consume).toEqual({
      ok: false, entitlement: { reason: 'LIMIT_REACHED' },
      offers: [{ key: 'growth', recommended: true }, { key: 'pro', recommended: false }, { key: 'enterprise', recommended: false }],
    });
    const { consume: counted } = await t.admin.request(`mutation { consume(input: { accountId: "pro-co", feature: "api_calls", amount: 1, idempotencyKey: "fits" }) {
      ok offers { key } } }`).catch(() => ({ consume: null }));
    expect(counted).toEqual({ ok: false, offers: [{ key: 'calls_boost' }, { key: 'enterprise' }] });
  });

  it('lets a client token read its own account\'s offers and no other\'s', async () => {
    const { createClientToken } = await t.admin.request(`mutation { createClientToken(accountId: "free-co") { token } }`);
    const browser = t.as(createClientToken.token);
    expect((await browser.raw(OFFERS, { accountId: 'free-co', feature: 'export_csv' })).errors).toEqual([]);
    expect(await browser.errorCode(OFFERS, { accountId: 'pro-co', feature: 'export_csv' })).toBe('FORBIDDEN');
  });
});
