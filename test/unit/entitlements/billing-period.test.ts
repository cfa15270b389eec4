import { describe, expect, it } from 'vitest';
import { billingPeriodEnd } from '../../../server/src/entitlements/billing-period.js';

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
