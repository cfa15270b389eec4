import { serverProblems } from '../ui/index.js';
import type { BillingInterval, Overage, UpdatePlanVersionInput, UsagePeriod } from '../generated/graphql.js';
import type { DeskVersionFieldsFragment } from '../generated/graphql.js';

/** One entitlement row of the draft editor, as typed (numbers stay text until saved). */
export interface EntitlementRow {
  feature: string;
  enabled: boolean;
  /** '' = unlimited. */
  limit: string;
  period: UsagePeriod;
  softLimitPercent: string;
  overage: Overage;
}

/** The draft editor's state: the version's terms as typed. */
export interface DraftForm {
  price: string;
  currency: string;
  interval: BillingInterval;
  trialDays: string;
  trialGraceDays: string;
  /** '' = the server's default. */
  pastDueGraceDays: string;
  /** One Stripe price id per line or comma. */
  billingPriceIds: string;
  entitlements: EntitlementRow[];
}

/** Digits after the decimal point of a currency's minor unit (2 for USD, 0 for JPY). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** The form of a saved version. */
export function formOf(version: DeskVersionFieldsFragment): DraftForm {
  const digits = minorDigits(version.price.currency);
  return {
    price: (version.price.amount / 10 ** digits).toFixed(digits),
    currency: version.price.currency,
    interval: version.interval,
    trialDays: String(version.trialDays),
    trialGraceDays: String(version.trialGraceDays),
    pastDueGraceDays: version.pastDueGraceDays === null ? '' : String(version.pastDueGraceDays),
    billingPriceIds: version.billingPriceIds.join(', '),
    entitlements: version.entitlements.map((entitlement) => ({
      feature: entitlement.feature,
      enabled: entitlement.enabled,
      limit: entitlement.limit === null ? '' : String(entitlement.limit),
      period: entitlement.period,
      softLimitPercent: String(entitlement.softLimitPercent),
      overage: entitlement.overage,
    })),
  };
}

/** Text to a number as typed ("1,000" is 1000); not a number stays as NaN for the server to name. */
function numberOf(text: string): number {
  return Number(text.replace(/[,_\s]/g, ''));
}

/** The form as updatePlanVersion's input. Whatever is wrong is left for the server to say, next to the field. */
export function inputOf(plan: string, version: number, form: DraftForm): UpdatePlanVersionInput {
  const digits = minorDigits(form.currency);
  return {
    plan,
    version,
    price: { amount: Math.round(numberOf(form.price) * 10 ** digits), currency: form.currency.trim().toUpperCase() },
    interval: form.interval,
    trialDays: numberOf(form.trialDays),
    trialGraceDays: numberOf(form.trialGraceDays),
    ...(form.pastDueGraceDays.trim() ? { pastDueGraceDays: numberOf(form.pastDueGraceDays) } : {}),
    billingPriceIds: form.billingPriceIds.split(/[\s,]+/).filter(Boolean),
    entitlements: form.entitlements.map((row) => ({
      feature: row.feature,
      enabled: row.enabled,
      limit: row.limit.trim() ? numberOf(row.limit) : null,
      period: row.period,
      softLimitPercent: numberOf(row.softLimitPercent),
      overage: row.overage,
    })),
  };
}

/**
 * The server's problems by the editor's field names: "price", "trialDays", "entitlements.<feature>.limit"
 * (the server names a row by its index when saving, by its feature when publishing), and "" for the rest.
 */
export function draftProblems(error: unknown, rows: EntitlementRow[]): Record<string, string> {
  const found: Record<string, string> = {};
  const add = (key: string, message: string) => {
    found[key] = found[key] ? `${found[key]} ${message}` : message;
  };
  for (const problem of serverProblems(error)) {
    if (!problem.fields.length) {
      add('', problem.message);
      continue;
    }
    for (const field of problem.fields) {
      const parts = field.path.split('.');
      if (parts[0] === 'price') add('price', field.message);
      else if (parts[0] === 'entitlements' && parts[1] !== undefined) {
        const feature = /^\d+$/.test(parts[1]) ? (rows[Number(parts[1])]?.feature ?? parts[1]) : parts[1];
        add(parts[2] ? `entitlements.${feature}.${parts[2]}` : `entitlements.${feature}`, field.message);
      } else if (parts[0] === 'billingPriceIds') add('billingPriceIds', field.message);
      else add(parts[0] ?? '', field.message);
    }
  }
  return found;
}
