import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import { draftProblems, formOf, inputOf } from '../../../server/console/src/catalog/draft-form.js';
import { versionDiffRows } from '../../../server/console/src/catalog/version-diff.js';
import { changeOrder } from '../../../server/console/src/migrations/migration-preview.js';
import { dailyCounts, dayStarts, rateWords } from '../../../server/console/src/shadow/shadow-days.js';

/**
 * The pricing desk's arithmetic, which the pages only draw: a draft's money in minor units, the
 * server's problems put next to the field they name, the diff of two versions, over-limit
 * accounts first, and a day's shadow comparisons out of two "since" reports.
 */
const v1: any = {
  id: 'v1', plan: 'pro', planName: 'Pro', version: 1, status: 'PUBLISHED',
  price: { amount: 2900, currency: 'USD', formatted: '$29.00' }, interval: 'MONTH', trialDays: 14, trialGraceDays: 0, pastDueGraceDays: null,
  billingPriceIds: ['price_pro_monthly'], quantityFeature: null, createdAt: '2026-12-01T00:00:00Z', publishedAt: '2026-12-01T00:00:00Z', subscriptionCount: 3,
  entitlements: [
    { feature: 'api_calls', enabled: true, limit: 50_000, period: 'MONTH', softLimitPercent: 80, overage: 'BLOCK' },
    { feature: 'seats', enabled: true, limit: 20, period: 'NEVER', softLimitPercent: 80, overage: 'BLOCK' },
  ],
};

/** An Apollo error as the server sends BAD_USER_INPUT. */
function badInput(fields: { path: string; message: string }[]): unknown {
  return new CombinedGraphQLErrors({ errors: [{ message: 'Invalid input.', extensions: { code: 'BAD_USER_INPUT', fields } }] });
}

describe('the draft editor', () => {
  it('sends the price typed in major units as minor units, an empty limit as unlimited and the default past-due grace as absent', () => {
    const form = { ...formOf(v1), price: '39.5', billingPriceIds: 'price_a, price_b' };
    form.entitlements[0] = { ...form.entitlements[0], limit: '' };
    const input = inputOf('pro', 2, form);
    expect(input.price).toEqual({ amount: 3950, currency: 'USD' });
    expect(input.entitlements![0].limit).toBeNull();
    expect(input.entitlements![1].limit).toBe(20);
    expect(input.billingPriceIds).toEqual(['price_a', 'price_b']);
    expect('pastDueGraceDays' in input).toBe(false);
    expect(inputOf('pro', 2, { ...formOf(v1), currency: 'JPY', price: '500' }).price).toEqual({ amount: 500, currency: 'JPY' });
  });

  it('puts each problem of the server under the field it names, by row index when saving and by feature when publishing', () => {
    const rows = formOf(v1).entitlements;
    expect(draftProblems(badInput([{ path: 'entitlements.1.softLimitPercent', message: 'must be from 1 to 100' }, { path: 'price.amount', message: 'must not be negative' }]), rows)).toEqual({
      'entitlements.seats.softLimitPercent': 'must be from 1 to 100',
      price: 'must not be negative',
    });
    expect(draftProblems(badInput([{ path: 'entitlements.sso', message: 'a SWITCH feature has no limit' }]), rows)).toEqual({ 'entitlements.sso': 'a SWITCH feature has no limit' });
    expect(draftProblems(new CombinedGraphQLErrors({ errors: [{ message: 'Version 1 is published.', extensions: { code: 'PLAN_VERSION_IMMUTABLE' } }] }), rows)).toEqual({
      '': 'Version 1 is published.',
    });
  });

  it('diffs two versions term by term: a feature added shows nothing before it, unchanged terms are left out', () => {
    const v2 = {
      ...v1, version: 2, price: { amount: 3900, currency: 'USD', formatted: '$39.00' }, billingPriceIds: ['price_pro_monthly'],
      entitlements: [{ ...v1.entitlements[0], limit: 100_000 }, v1.entitlements[1], { feature: 'sso', enabled: true, limit: null, period: 'NEVER', softLimitPercent: 80, overage: 'BLOCK' }],
    };
    expect(versionDiffRows(v1, v2)).toEqual([
      { what: 'Price', before: '$29.00 / month', after: '$39.00 / month' },
      { what: 'api_calls', before: 'enabled, 50,000 per month', after: 'enabled, 100,000 per month' },
      { what: 'sso', before: '—', after: 'enabled, unlimited' },
    ]);
  });
});

describe('the migration preview', () => {
  it('lists accounts over a new limit first, then by id', () => {
    const change = (accountId: string, wouldBeOverLimit: boolean): any => ({ accountId, wouldBeOverLimit });
    const sorted = [change('a', false), change('d', true), change('b', true), change('c', false)].sort(changeOrder);
    expect(sorted.map((entry) => entry.accountId)).toEqual(['b', 'd', 'a', 'c']);
  });
});

describe('the shadow report', () => {
  it('counts each UTC day as the report since its start minus the report since the next', () => {
    const days = dayStarts(new Date('2026-12-07T15:00:00Z'));
    expect(days[0]).toBe('2026-12-01T00:00:00.000Z');
    expect(days[6]).toBe('2026-12-07T00:00:00.000Z');
    // Cumulative to now: 10 comparisons since the 1st, 4 since the 6th, 1 today.
    const since = (compared: number, agreed: number) => ({ compared, agreed, byFeature: [{ feature: 'seats', compared, agreed }] });
    const data: any = {
      total: { byFeature: [{ feature: 'seats' }] },
      d0: since(10, 8), d1: since(9, 7), d2: since(9, 7), d3: since(6, 5), d4: since(6, 5), d5: since(4, 3), d6: since(1, 1),
    };
    const seats = dailyCounts(data, days).get('seats')!;
    expect(seats.map((day) => [day.compared, day.agreed])).toEqual([[1, 1], [0, 0], [3, 2], [0, 0], [2, 2], [3, 2], [1, 1]]);
    expect(dailyCounts(data, days).get('')).toEqual(seats);
    expect(rateWords(2, 3)).toBe('66.7%');
    expect(rateWords(1, 1)).toBe('100%');
    expect(rateWords(0, 0)).toBe('—');
  });
});
