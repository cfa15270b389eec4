import { describe, expect, it } from 'vitest';
import type { UsagePeriod } from '../../../server/src/vocabulary/index.js';
import { periodBounds } from '../../../server/src/entitlements/period-bounds.js';

const cases: [string, UsagePeriod, string, string, string | null][] = [
  ['an hour starts on the hour', 'HOUR', '2026-03-15T12:34:56.789Z', '2026-03-15T12:00:00.000Z', '2026-03-15T13:00:00.000Z'],
  ['the last hour of a day ends at midnight', 'HOUR', '2026-03-15T23:59:59.999Z', '2026-03-15T23:00:00.000Z', '2026-03-16T00:00:00.000Z'],
  ['a day is a UTC day', 'DAY', '2026-03-15T00:00:00.000Z', '2026-03-15T00:00:00.000Z', '2026-03-16T00:00:00.000Z'],
  ['a week starts on Monday (ISO)', 'WEEK', '2026-03-15T12:00:00.000Z', '2026-03-09T00:00:00.000Z', '2026-03-16T00:00:00.000Z'],
  ['Monday 00:00 starts a new week', 'WEEK', '2026-03-16T00:00:00.000Z', '2026-03-16T00:00:00.000Z', '2026-03-23T00:00:00.000Z'],
  ['a week can span two years', 'WEEK', '2027-01-01T10:00:00.000Z', '2026-12-28T00:00:00.000Z', '2027-01-04T00:00:00.000Z'],
  ['a month ends at the next month', 'MONTH', '2026-01-31T23:59:59.999Z', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
  ['February of a leap year has 29 days', 'MONTH', '2028-02-29T12:00:00.000Z', '2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
  ['December ends at the next year', 'MONTH', '2026-12-31T23:59:59.999Z', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
  ['a year is a calendar year', 'YEAR', '2026-07-04T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
  ['never resets', 'NEVER', '2026-07-04T00:00:00.000Z', '1970-01-01T00:00:00.000Z', null],
];

describe('periodBounds', () => {
  it.each(cases)('%s', (_name, period, now, start, end) => {
    const bounds = periodBounds(period, new Date(now));
    expect(bounds.start.toISOString()).toBe(start);
    expect(bounds.end?.toISOString() ?? null).toBe(end);
  });

  it('follows the billing period when now is inside it', () => {
    const billing = { start: new Date('2026-03-10T08:00:00Z'), end: new Date('2026-04-10T08:00:00Z') };
    const bounds = periodBounds('BILLING_PERIOD', new Date('2026-04-10T07:59:59.999Z'), billing);
    expect(bounds).toEqual(billing);
  });

  it('continues the billing period by the plan\'s interval outside it, never a calendar month', () => {
    const billing = { start: new Date('2026-03-10T08:00:00Z'), end: new Date('2026-04-10T08:00:00Z') };
    const bounds = periodBounds('BILLING_PERIOD', new Date('2026-04-10T08:00:00Z'), billing);
    expect(bounds).toEqual({ start: new Date('2026-04-10T08:00:00Z'), end: new Date('2026-05-10T08:00:00Z') });
    const yearly = periodBounds('BILLING_PERIOD', new Date('2027-04-10T08:00:00Z'), { ...billing, end: new Date('2027-03-10T08:00:00Z'), interval: 'YEAR' });
    expect(yearly).toEqual({ start: new Date('2027-03-10T08:00:00Z'), end: new Date('2028-03-10T08:00:00Z') });
  });

  it('counts BILLING_PERIOD by the calendar month only without a subscription period', () => {
    expect(periodBounds('BILLING_PERIOD', new Date('2026-04-10T08:00:00Z'))).toEqual({ start: new Date('2026-04-01T00:00:00Z'), end: new Date('2026-05-01T00:00:00Z') });
  });
});
