import { describe, expect, it } from 'vitest';
import { billingPeriodAt, billingPeriodEnd } from '../../../server/src/entitlements/billing-period.js';
import { periodBounds } from '../../../server/src/entitlements/period-bounds.js';

describe('billingPeriodEnd', () => {
  it.each([
    ['keeps the day and time a month later', '2026-03-10T08:30:00.000Z', 'MONTH', '2026-04-10T08:30:00.000Z'],
    ['clamps Jan 31 to the end of February', '2026-01-31T12:00:00.000Z', 'MONTH', '2026-02-28T12:00:00.000Z'],
    ['clamps to Feb 29 in a leap year', '2028-01-31T00:00:00.000Z', 'MONTH', '2028-02-29T00:00:00.000Z'],
    ['rolls December into January', '2026-12-15T00:00:00.000Z', 'MONTH', '2027-01-15T00:00:00.000Z'],
    ['adds a year for yearly plans', '2026-03-10T08:30:00.000Z', 'YEAR', '2027-03-10T08:30:00.000Z'],
    ['clamps Feb 29 to Feb 28 a year later', '2028-02-29T00:00:00.000Z', 'YEAR', '2029-02-28T00:00:00.000Z'],
  ] as const)('%s', (_name, start, interval, end) => {
    expect(billingPeriodEnd(new Date(start), interval).toISOString()).toBe(end);
  });
});

/**
 * BILLING_PERIOD usage outside the stored period: the period in force at an instant continues
 * by the plan's interval from the stored end (or back from its start), never a calendar month.
 */
const D = (iso: string) => new Date(iso);
const stored = { start: D('2026-01-31T10:00:00Z'), end: D('2026-02-28T10:00:00Z') };

describe('billingPeriodAt', () => {
  it.each([
    ['inside the stored period: the stored period', D('2026-02-10T00:00:00Z'), 'MONTH', ['2026-01-31T10:00:00.000Z', '2026-02-28T10:00:00.000Z']],
    ['at the stored end: the next period', D('2026-02-28T10:00:00Z'), 'MONTH', ['2026-02-28T10:00:00.000Z', '2026-03-28T10:00:00.000Z']],
    ['a late renewal webhook\'s gap: the next month', D('2026-03-01T00:00:00Z'), 'MONTH', ['2026-02-28T10:00:00.000Z', '2026-03-28T10:00:00.000Z']],
    ['three periods on', D('2026-05-30T00:00:00Z'), 'MONTH', ['2026-05-28T10:00:00.000Z', '2026-06-28T10:00:00.000Z']],
    ['a year on, yearly', D('2027-03-01T00:00:00Z'), 'YEAR', ['2027-02-28T10:00:00.000Z', '2028-02-28T10:00:00.000Z']],
    ['before the stored start: the period before', D('2026-01-15T00:00:00Z'), 'MONTH', ['2025-12-31T10:00:00.000Z', '2026-01-31T10:00:00.000Z']],
    ['long before: steps back, exact', D('2025-06-01T00:00:00Z'), 'MONTH', ['2025-05-31T10:00:00.000Z', '2025-06-30T10:00:00.000Z']],
  ] as const)('%s', (_name, at, interval, [start, end]) => {
    const period = billingPeriodAt(stored, interval, at);
    expect([period.start.toISOString(), period.end.toISOString()]).toEqual([start, end]);
    expect(period.start <= at && at < period.end).toBe(true);
  });

  it('contains every instant in exactly the period that follows from the stored one (a year of hours)', () => {
    for (let hour = -24 * 400; hour < 24 * 400; hour += 7) {
      const at = new Date(stored.start.getTime() + hour * 3_600_000);
      const period = billingPeriodAt(stored, 'MONTH', at);
      expect(period.start <= at && at < period.end).toBe(true);
      // The next period starts where this one ends: no gap, no overlap.
      expect(billingPeriodAt(stored, 'MONTH', period.end).start).toEqual(period.end);
    }
  });

  it('is what periodBounds counts BILLING_PERIOD usage in, not a calendar month', () => {
    const bounds = periodBounds('BILLING_PERIOD', D('2026-03-01T00:00:00Z'), { ...stored, interval: 'MONTH' });
    expect(bounds).toEqual({ start: D('2026-02-28T10:00:00Z'), end: D('2026-03-28T10:00:00Z') });
  });
});
