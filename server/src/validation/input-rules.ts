import { z } from 'zod';
import { quantityRule } from './quantity.js';

const KEY_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;
const supportedCurrencies = new Set(Intl.supportedValuesOf('currency'));

/** A catalog key: feature, plan or add-on. Lowercase slug, so keys read well in code and URLs. */
export const catalogKey = z
  .string()
  .regex(KEY_PATTERN, 'must be a lowercase slug: a letter, then up to 63 of a-z, 0-9, "_", "." or "-"');

/** A human-readable name shown in paywalls and dashboards. */
export const displayName = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** A free-text description. */
export const description = z.string().max(2000, 'must be at most 2000 characters');

const ACCOUNT_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** An account id as the host product knows it. */
export const accountId = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/**
 * Whether `value` could be an account id at all. Reads use it to answer "not found" for ids no
 * account can have (NUL bytes, spaces, 10 kB strings) without sending them to the database.
 */
export function isAccountId(value: string): boolean {
  return ACCOUNT_ID_PATTERN.test(value);
}

/** Whether `value` could be a catalog key at all; reads answer "not found" for any other. */
export function isCatalogKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** A small count (a rank, a price in minor units): a whole number from 0 to 2^31-1. */
export const nonNegativeInt = z
  .number()
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(2_147_483_647, 'must be at most 2147483647');

/** The most units of one add-on an account may hold; offers never suggest more. */
export const MAX_ADD_ON_QUANTITY = 10_000;

/** How many units of an add-on an account holds: 0 (none) to {@link MAX_ADD_ON_QUANTITY}. */
export const addOnQuantity = z
  .number()
  .int('must be a whole number')
  .min(0, 'must not be negative (0 removes the add-on)')
  .max(MAX_ADD_ON_QUANTITY, `must be at most ${MAX_ADD_ON_QUANTITY}`);

/** An amount of money in integer minor units with an ISO 4217 currency. */
export const money = z.object({
  amount: nonNegativeInt,
  currency: z
    .string()
    .transform((code) => code.toUpperCase())
    .refine((code) => supportedCurrencies.has(code), 'must be an ISO 4217 currency code such as USD or EUR'),
});

const BILLING_ID_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * A Stripe price id (`price_…`; a legacy plan's id, which Stripe also accepts as a price id, may
 * be any printable string). Printable ASCII without spaces, at most 255 characters.
 */
export const billingPriceId = z
  .string()
  .regex(BILLING_ID_PATTERN, 'must be a Stripe price id such as price_1Pq…: printable ASCII without spaces, at most 255 characters');

/** A Stripe customer id: `cus_` and Stripe's own characters. */
export const billingCustomerId = z
  .string()
  .regex(/^cus_[A-Za-z0-9]{1,251}$/, 'must be a Stripe customer id such as cus_Q3x…');

/** Why an admin made a change; kept in the audit log. */
export const reason = z.string().trim().min(1, 'is required: say why').max(1000, 'must be at most 1000 characters');

/** A limit, an override value, a usage value: a whole number from 0 to 2^53-1. */
export const quantity = quantityRule(0);

/** An amount of usage to count: a whole number from 1 to 2^53-1. */
export const usageAmount = quantityRule(1);

const EARLIEST_INSTANT = new Date(Date.UTC(1970, 0, 1));
const LATEST_INSTANT = new Date(Date.UTC(10_000, 0, 1));

/**
 * A point in time a client sends (override start and end, a grace end, a usage event): from
 * 1970 to the end of year 9999. Outside that every date is a mistake, and some are dates
 * PostgreSQL cannot store.
 */
export const instant = z
  .date({ error: 'must be a date-time such as 2026-01-31T00:00:00Z' })
  .min(EARLIEST_INSTANT, 'must be 1970-01-01 or later')
  .max(new Date(LATEST_INSTANT.getTime() - 1), 'must be before the year 10000');

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` could be a row id (a UUID) at all; reads answer "not found" for any other without a query. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
