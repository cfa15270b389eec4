import type { BillingInterval } from '../vocabulary/index.js';

/**
 * The end of a billing period that starts at `start`: the same day and time one month or year
 * later in UTC, clamped to the month's last day (Jan 31 → Feb 28), as card billing does.
 */
export function billingPeriodEnd(start: Date, interval: BillingInterval): Date {
  const months = interval === 'YEAR' ? 12 : 1;
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const end = new Date(start);
  end.setUTCFullYear(year, month, Math.min(start.getUTCDate(), lastDay));
  return end;
}

/** `start` plus a whole number of days. */
export function addDays(start: Date, days: number): Date {
  return new Date(start.getTime() + days * 86_400_000);
}
