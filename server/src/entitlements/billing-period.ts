import type { BillingInterval } from '../vocabulary/index.js';

/**
 * The end of a billing period that starts at `start`: the same day and time one month or year
 * later in UTC, clamped to the month's last day (Jan 31 → Feb 28), as card billing does.
 */
export function billingPeriodEnd(start: Date, interval: BillingInterval): Date {
  return addIntervals(start, interval, 1);
}

/** `start` plus a whole number of days. */
export function addDays(start: Date, days: number): Date {
  return new Date(start.getTime() + days * 86_400_000);
}

/** A billing period: `end` is exclusive (the next period's start). */
export interface BillingPeriod {
  start: Date;
  end: Date;
}

/**
 * The billing period in force at `at`, given the stored one: the stored period itself when `at`
 * falls in it; otherwise the period continues by the plan's interval from the stored end (or, for
 * an instant before the stored start, back from it), every step counted from that one instant
 * (clamped to a month's last day, never drifting). Pure.
 *
 * This is the one rule for `BILLING_PERIOD` usage outside the stored period: a renewal webhook
 * that arrives late, a Tollgate-only subscription after its first period, and a reported event
 * back-dated into the previous period all count in the period that was in force at their instant.
 *
 * @example
 * billingPeriodAt({ start: jan1, end: feb1 }, 'MONTH', mar15); // { start: mar1, end: apr1 }
 */
export function billingPeriodAt(stored: BillingPeriod, interval: BillingInterval, at: Date): BillingPeriod {
  if (at >= stored.start && at < stored.end) return stored;
  if (!(stored.end > stored.start)) return { start: stored.start, end: stored.end };
  if (at >= stored.end) {
    // Whole intervals after the stored end; an estimate first, then exact steps, so a period of
    // years ago or ahead costs a few steps, not one per month.
    const monthsPer = interval === 'YEAR' ? 12 : 1;
    const estimate = Math.max(0, Math.floor(monthsBetween(stored.end, at) / monthsPer) - 1);
    let steps = estimate;
    while (addIntervals(stored.end, interval, steps + 1) <= at) steps += 1;
    while (steps > 0 && addIntervals(stored.end, interval, steps) > at) steps -= 1;
    return { start: addIntervals(stored.end, interval, steps), end: addIntervals(stored.end, interval, steps + 1) };
  }
  const monthsPer = interval === 'YEAR' ? 12 : 1;
  let steps = Math.max(1, Math.floor(monthsBetween(at, stored.start) / monthsPer));
  while (addIntervals(stored.start, interval, -steps) > at) steps += 1;
  while (steps > 1 && addIntervals(stored.start, interval, -(steps - 1)) <= at) steps -= 1;
  return { start: addIntervals(stored.start, interval, -steps), end: addIntervals(stored.start, interval, -(steps - 1)) };
}

/** `anchor` moved by `count` intervals (negative: back), the day clamped to the month's last. */
function addIntervals(anchor: Date, interval: BillingInterval, count: number): Date {
  const months = (interval === 'YEAR' ? 12 : 1) * count;
  const year = anchor.getUTCFullYear();
  const month = anchor.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const moved = new Date(anchor);
  moved.setUTCFullYear(year, month, Math.min(anchor.getUTCDate(), lastDay));
  return moved;
}

function monthsBetween(from: Date, to: Date): number {
  return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
}
