/** Money as Tollgate stores and sends it: integer minor units, never a float. */
export interface Money {
  amount: number;
  currency: string;
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string): Intl.NumberFormat {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    formatters.set(currency, formatter);
  }
  return formatter;
}

/**
 * "$29.00", "¥500", "€9.99": the currency's own number of minor digits (JPY has none), so the
 * integer amount is shown as the customer expects.
 */
export function formatMoney(money: Money): string {
  const formatter = formatterFor(money.currency);
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(money.amount / 10 ** digits);
}
