import { describe, expect, it } from 'vitest';
import type { AccountState, CatalogPlanVersion, CatalogSnapshot } from '../../../server/src/entitlements/index.js';
import { migratedSubscription, pendingDiff } from '../../../server/src/plan-migrations/migration-diff.js';
import { MonthlyChange, priceChange, roundTwelfths } from '../../../server/src/plan-migrations/monthly-price.js';

const now = new Date('2026-03-10T12:00:00.000Z');
const periodStart = new Date('2026-03-01T00:00:00.000Z');
const periodEnd = new Date('2026-04-01T00:00:00.000Z');

function version(id: string, interval: 'MONTH' | 'YEAR', priceAmount: number, entitlements: [string, number | null, boolean?][]): CatalogPlanVersion {
  return {
    id, planKey: 'pro', planName: 'Pro', planRank: 1, version: Number(id.slice(1)), status: 'PUBLISHED', priceAmount, priceCurrency: 'USD', interval,
    trialDays: 0, trialGraceDays: 0,
    entitlements: new Map(entitlements.map(([featureKey, limit, enabled]) => [featureKey, {
      featureKey, enabled: enabled ?? true, limit, period: 'NEVER', softLimitPercent: 80, overage: 'BLOCK',
    }])),
  };
}

const v1 = version('v1', 'MONTH', 2900, [['export_csv', null], ['seats', 20]]);
const v2 = version('v2', 'MONTH', 3900, [['sso', null], ['seats', 10]]);
const yearly = version('v3', 'YEAR', 29900, [['seats', 10]]);
const catalog: CatalogSnapshot = {
  features: new Map([
    ['export_csv', { key: 'export_csv', name: 'CSV', kind: 'SWITCH', unit: null, requires: [] }],
    ['sso', { key: 'sso', name: 'SSO', kind: 'SWITCH', unit: null, requires: [] }],
    ['seats', { key: 'seats', name: 'Seats', kind: 'QUANTITY', unit: null, requires: [] }],
  ]),
  planVersions: new Map([v1, v2, yearly].map((v) => [v.id, v])),
  defaultPlanVersionId: null,
  addOns: new Map(),
};
const subscription = {
  planVersionId: 'v1', status: 'ACTIVE' as const, trialEndsAt: null, graceEndsAt: null,
  currentPeriodStart: periodStart, currentPeriodEnd: periodEnd, addOns: [],
};
const account = (overrides: AccountState['overrides'] = []): AccountState => ({ accountId: 'acme', subscription, overrides });

describe('the subscription a migration leaves', () => {
  it.each([
    ['NOW, same interval: the version moves, the period is kept', v2, 'NOW', now, { planVersionId: 'v2', currentPeriodStart: periodStart, currentPeriodEnd: periodEnd }],
    ['NOW, another interval: a new period starts now', yearly, 'NOW', now, { planVersionId: 'v3', currentPeriodStart: now, currentPeriodEnd: new Date('2027-03-10T12:00:00.000Z') }],
    ['PERIOD_END: the change is scheduled for the period end', v2, 'PERIOD_END', now, { planVersionId: 'v1', scheduledChange: { planVersionId: 'v2', at: periodEnd } }],
    ['PERIOD_END after the period ended: applied now, as NOW', v2, 'PERIOD_END', new Date('2026-05-01T00:00:00.000Z'), { planVersionId: 'v2', currentPeriodStart: periodStart }],
  ] as const)('%s', (_name, target, effective, at, expected) => {
    expect(migratedSubscription(subscription, v1, target, effective, at)).toMatchObject(expected);
  });
});

describe('a migration diff', () => {
  const diff = (state: AccountState, seatsUsed: number, target = v2) =>
    pendingDiff(catalog, state, target, 'NOW', now).finish(({ featureKey }) => (featureKey === 'seats' ? seatsUsed : 0));

  it('lists features gained and lost and the limits that change, with the usage counted against the new one', () => {
    expect(diff(account(), 15)).toMatchObject({
      featuresGained: ['sso'], featuresLost: ['export_csv'], limitChanges: [{ featureKey: 'seats', from: 20, to: 10, used: 15 }], wouldBeOverLimit: true,
      priceChange: [{ amount: 1000, currency: 'USD' }],
    });
  });

  it('is not over the limit when the usage fits, and a feature at its limit is still held', () => {
    expect(diff(account(), 10)).toMatchObject({ wouldBeOverLimit: false, featuresLost: ['export_csv'] });
    expect(diff(account(), 25).featuresLost).toEqual(['export_csv']);
  });

  it('lets an override that sets the limit on both sides hide the plan\'s change', () => {
    const override = { id: 'o1', featureKey: 'seats', effect: 'SET_LIMIT' as const, value: 50, startsAt: new Date(0), endsAt: null, createdAt: new Date(0), revokedAt: null };
    expect(diff(account([override]), 30)).toMatchObject({ limitChanges: [], wouldBeOverLimit: false });
  });

  it('reads each usage counter once when before and after count in the same period', () => {
    expect(pendingDiff(catalog, account(), v2, 'NOW', now).counters).toEqual([{ featureKey: 'seats', periodStart: new Date(0) }]);
  });

  it('evaluates a PERIOD_END change at the period end', () => {
    expect(pendingDiff(catalog, account(), v2, 'PERIOD_END', now).finish(() => 0).effectiveAt).toEqual(periodEnd);
  });
});

describe('monthly prices', () => {
  it.each([
    [6n, 1], [5n, 0], [-6n, -1], [-5n, 0], [18n, 2], [-18n, -2], [0n, 0], [12n * 2900n, 2900],
  ])('rounds %s twelfths to %s (halves away from zero)', (twelfths, whole) => {
    expect(roundTwelfths(twelfths)).toBe(whole);
  });

  it('divides a yearly price by 12 and rounds each total once', () => {
    expect(priceChange({ priceAmount: 29900, priceCurrency: 'EUR', interval: 'YEAR' }, { priceAmount: 3900, priceCurrency: 'USD', interval: 'MONTH' }))
      .toEqual([{ amount: -2492, currency: 'EUR' }, { amount: 3900, currency: 'USD' }]);
    const revenue = new MonthlyChange();
    revenue.add({ priceAmount: 2900, priceCurrency: 'USD', interval: 'MONTH' }, { priceAmount: 29900, priceCurrency: 'USD', interval: 'YEAR' }, 3);
    expect(revenue.totals()).toEqual([{ amount: -1225, currency: 'USD' }]);
    // 1/12 of a cent per account, 100,000 accounts: rounding once keeps the 8,333 cents that rounding each would lose.
    const many = new MonthlyChange();
    many.add({ priceAmount: 0, priceCurrency: 'USD', interval: 'MONTH' }, { priceAmount: 1, priceCurrency: 'USD', interval: 'YEAR' }, 100_000);
    expect(many.totals()).toEqual([{ amount: 8333, currency: 'USD' }]);
  });
});
