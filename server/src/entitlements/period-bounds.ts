import type { BillingInterval, UsagePeriod } from '../vocabulary/index.js';
import { billingPeriodAt } from './billing-period.js';

/** A usage period: `end` is exclusive (the next period's start); null for NEVER. */
export interface PeriodBounds {
  start: Date;
  end: Date | null;
}

/**
 * The period `now` falls in. UTC calendar-aligned (ISO weeks start on Monday); BILLING_PERIOD
 * follows the subscription's current period, and outside it the period in force at `now` by the
 * plan's interval ({@link billingPeriodAt}); only an account without a subscription period counts
 * BILLING_PERIOD usage by the calendar month.
 */
export function periodBounds(
  period: UsagePeriod,
  now: Date,
  billing?: { start: Date | null; end: Date | null; interval?: BillingInterval },
): PeriodBounds {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  switch (period) {
    case 'HOUR': {
      const start = Date.UTC(y, m, d, now.getUTCHours());
      return { start: new Date(start), end: new Date(start + 3_600_000) };
    }
    case 'DAY':
      return { start: new Date(Date.UTC(y, m, d)), end: new Date(Date.UTC(y, m, d + 1)) };
    case 'WEEK': {
      const sinceMonday = (now.getUTCDay() + 6) % 7;
      return { start: new Date(Date.UTC(y, m, d - sinceMonday)), end: new Date(Date.UTC(y, m, d - sinceMonday + 7)) };
    }
    case 'MONTH':
      return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
    case 'YEAR':
      return { start: new Date(Date.UTC(y, 0, 1)), end: new Date(Date.UTC(y + 1, 0, 1)) };
    case 'BILLING_PERIOD':
      if (billing?.start && billing.end && billing.start < billing.end) {
        return billingPeriodAt({ start: billing.start, end: billing.end }, billing.interval ?? 'MONTH', now);
      }
      return periodBounds('MONTH', now);
    case 'NEVER':
      return { start: new Date(0), end: null };
  }
}
