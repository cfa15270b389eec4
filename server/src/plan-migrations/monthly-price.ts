import type { BillingInterval } from '../vocabulary/index.js';

/** Money as Tollgate sends it: integer minor units and an ISO 4217 currency. */
export interface Money {
  amount: number;
  currency: string;
}

/** What a price is made of. */
export interface Priced {
  priceAmount: number;
  priceCurrency: string;
  interval: BillingInterval;
}

/**
 * A price per month in twelfths of a minor unit: a yearly price is divided by 12 exactly, and
 * rounding happens once, on the final figure ({@link roundTwelfths}), never per account.
 */
export function monthlyTwelfths(price: Priced): bigint {
  return BigInt(price.priceAmount) * (price.interval === 'YEAR' ? 1n : 12n);
}

/** Twelfths of a minor unit to whole minor units: the nearest, halves away from zero. */
export function roundTwelfths(twelfths: bigint): number {
  const magnitude = (twelfths < 0n ? -twelfths : twelfths) + 6n;
  const whole = Number(magnitude / 12n);
  return twelfths < 0n && whole > 0 ? -whole : whole;
}

/**
 * Sums monthly price changes per currency: `add(from, to, count)` counts `count` subscriptions
 * moving from one price to another. A move across currencies adds the new price to one currency
 * and takes the old one from the other. `totals()` rounds each currency once, sorted by code.
 *
 * @example
 * const revenue = new MonthlyChange();
 * revenue.add({ priceAmount: 2900, priceCurrency: 'USD', interval: 'MONTH' }, { priceAmount: 29900, priceCurrency: 'USD', interval: 'YEAR' }, 3);
 * revenue.totals(); // [{ amount: -1225, currency: 'USD' }]: 3 × (29900 / 12 − 2900)
 */
export class MonthlyChange {
  private readonly byCurrency = new Map<string, bigint>();

  add(from: Priced, to: Priced, count: number): void {
    const n = BigInt(count);
    this.byCurrency.set(to.priceCurrency, (this.byCurrency.get(to.priceCurrency) ?? 0n) + monthlyTwelfths(to) * n);
    this.byCurrency.set(from.priceCurrency, (this.byCurrency.get(from.priceCurrency) ?? 0n) - monthlyTwelfths(from) * n);
  }

  totals(): Money[] {
    return [...this.byCurrency]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([currency, twelfths]) => ({ amount: roundTwelfths(twelfths), currency }));
  }
}

/** One subscription's list price change per month, per currency involved. */
export function priceChange(from: Priced, to: Priced): Money[] {
  const change = new MonthlyChange();
  change.add(from, to, 1);
  return change.totals();
}
